# One target a job; each calls one script or module. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python
RASA_PY := .venv-rasa/bin/python
OUT ?= bench/out/$@.json
PACKAGES := database identity bank privacy fraud screening recommender insights journeys simulation assistant service stack bench migrations tests

.PHONY: help setup train up test test-faults test-fast bench-turns bench-intent bench-sentiment bench-quantisation bench-pii bench-recommender bench-load bench-handoff lint

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: ## Build both virtual environments and the identity provider's packages (idempotent, quick when nothing changed)
	@bash scripts/setup_rasa_env.sh
	@bash scripts/setup_service_env.sh
	@bash scripts/setup_idp.sh

train: setup ## Train the Rasa model when its data or config changed
	@bash scripts/train_assistant.sh

up: train ## Set everything up and run the assistant: web chat on http://127.0.0.1:8000/ [PROFILE=prod] [SIMULATE=0: no demo journeys]
	@$(PY) -m stack up $(if $(PROFILE),--profile $(PROFILE))

test: train lint ## ruff, mypy and the whole test suite (what CI runs)
	@bash scripts/test.sh

test-faults: train ## Kill workers and cut Postgres, Redis and RabbitMQ under the prod profile
	@bash scripts/test.sh tests/stack/faults

bench-turns: train ## Turn latency and throughput, ours against a stock `rasa init` bot: OUT=path.json [TEST=bench/data/turn_scripts.yml]
	@$(PY) -m bench.turns $(if $(TEST),--scripts $(TEST)) --out $(OUT)

bench-intent: setup ## Intent model against stock DIET: TRAIN=... TEST=... OUT=... [BASELINE=1]
	@$(RASA_PY) -m bench.intent $(if $(TRAIN),--train $(TRAIN)) $(if $(TEST),--test $(TEST)) --out $(OUT) $(if $(BASELINE),--baseline)

bench-sentiment: setup ## Sentiment model against a simple baseline: TRAIN=... TEST=... OUT=...
	@$(RASA_PY) -m bench.sentiment $(if $(TRAIN),--train $(TRAIN)) $(if $(TEST),--test $(TEST)) --out $(OUT)

bench-quantisation: setup ## Intent model as int8 ONNX against the same model in fp32: TRAIN=... TEST=... OUT=...
	@$(RASA_PY) -m bench.quantisation $(if $(TRAIN),--train $(TRAIN)) $(if $(TEST),--test $(TEST)) --out $(OUT)

bench-pii: setup ## PII detection, ours against stock Presidio: TEST=... OUT=... [CLEAN="personal-data-free files"]
	@$(PY) -m bench.pii $(if $(TEST),--test $(TEST)) $(if $(CLEAN),--clean $(CLEAN)) --out $(OUT)

bench-recommender: setup ## Recommender quality, fairness and lookalike search: N=... OUT=...
	@$(PY) -m bench.recommender $(if $(N),--n $(N)) --out $(OUT)

bench-load: train ## Sustained load on the prod profile against stock Rasa: CONVERSATIONS=200 MINUTES=5 OUT=...
	@$(PY) -m bench.load $(if $(CONVERSATIONS),--conversations $(CONVERSATIONS)) $(if $(MINUTES),--minutes $(MINUTES)) $(if $(SCRIPTS),--scripts $(SCRIPTS)) --out $(OUT)

bench-handoff: train ## Handoff timings: trigger to queue, relay latency both ways; then a simulated shift: OUT=path.json
	@$(PY) -m bench.handoff --out $(OUT)

.PHONY: bench-handoff-shift
bench-handoff-shift: setup ## Simulated shift, skill routing against first-come-first-served (seconds, no stack): OUT=... [SEED=7] [PER_HOUR=100]
	@$(PY) -m bench.handoff --shift-only --out $(OUT) $(if $(SEED),--seed $(SEED)) $(if $(PER_HOUR),--per-hour $(PER_HOUR))

.PHONY: bench-screening
bench-screening: setup ## Sanctions screening of payee names against exact name matching (seconds, no stack): OUT=... [TEST=bench/data/screening_dev.jsonl] [THRESHOLD=0.84]
	@$(PY) -m bench.screening $(if $(TEST),--test $(TEST)) $(if $(THRESHOLD),--threshold $(THRESHOLD)) --out $(OUT)

.PHONY: bench-containment
bench-containment: train ## How much of BANKING77's questions the live bot contains: TEST=... OUT=... [LIMIT=N] [API=url] [HOLDOUT=0.1: train without that share, test on it]
	@$(PY) -m bench.containment $(if $(TEST),--test $(TEST)) $(if $(LIMIT),--limit $(LIMIT)) $(if $(API),--api-url $(API)) $(if $(HOLDOUT),--holdout-share $(HOLDOUT)) --out $(OUT)

.PHONY: simulate bench-analytics
simulate: train ## Drive N seeded synthetic customers through the real API: N=50 SEED=0 [OUT=truth.json]
	@$(PY) -m stack.simulate $(if $(N),--n $(N)) $(if $(SEED),--seed $(SEED)) --out $(if $(filter bench/out/%,$(OUT)),var/simulation.json,$(OUT))

bench-analytics: setup ## Journey ingest throughput and dashboard query p95, bandit regret: EVENTS=1000000 OUT=...
	@$(PY) -m bench.analytics $(if $(EVENTS),--events $(EVENTS)) --out $(OUT)

.PHONY: bench-payee-names
bench-payee-names: setup ## Payee name matching against exact comparison (seconds): [TEST=bench/data/payee_names.jsonl] OUT=... [SWEEP=1]
	@$(PY) -m bench.payee_names $(if $(TEST),--test $(TEST)) $(if $(SWEEP),--sweep) --out $(OUT)

.PHONY: bench-insights
bench-insights: setup ## Spending categories, our model against keyword rules, with latency (seconds): [TEST=bench/data/merchants_test.csv] OUT=... [CANDIDATES=1] [SCALE=10000000: spending questions and the event path on that many transactions in a throwaway Postgres database, about 5 minutes]
	@$(PY) -m bench.insights $(if $(TEST),--test $(TEST)) $(if $(CANDIDATES),--candidates) $(if $(SCALE),--scale $(SCALE)) --out $(OUT)

.PHONY: bench-anomalies
bench-anomalies: setup ## Unusual-activity scoring against a 3x-mean-spend rule (seconds, no stack): OUT=... [TEST=bench/data/anomalies_dev.jsonl] [THRESHOLD=0.45]
	@$(PY) -m bench.anomalies $(if $(TEST),--test $(TEST)) $(if $(THRESHOLD),--threshold $(THRESHOLD)) --out $(OUT)

lint: setup ## ruff and mypy on every package
	@.venv/bin/ruff check $(PACKAGES)
	@.venv/bin/mypy $(PACKAGES)

.PHONY: audit
audit: setup ## Known vulnerabilities in both environments (pip-audit); reports in var/audit/
	@bash scripts/audit.sh

.PHONY: token
token: ## Print a demo customer's access token from the running stack's identity provider: LOGIN=alex
	@$(PY) -m stack.token $(or $(LOGIN),alex)
