"""How much of real customers' everyday questions the live bot contains.

``python -m bench.containment --out OUT.json [--test CSV] [--limit N] [--seed S] [--api-url URL]
[--model MODEL.tar.gz] [--holdout-share S]``

Each message of a BANKING77-format CSV (``text,category``; default: banking77/train.csv of the
shared data; ``--limit N``: a seeded sample with an equal share per category) goes through the
public API as a new conversation (``cus_001``, web), one at a time. Its outcome comes from the
bot's replies (``bench.containment_outcomes``): ``handoff``, ``fallback``, ``clarified`` or
``answered``; its latency is the message's POST.

The public API shows no intent, so the intent the bot read comes from Rasa's tracker
(``GET /conversations/{id}/tracker``), which only the benchmark's own stack lets it reach: with
``--api-url`` there are no intents and no accuracy. A category is read right as its own intent
or the one of ours it was merged into (``assistant.banking77``); every category also gets the
distribution of our intents it was read as.

Starts its own stack on a fresh SQLite database (the latest trained model, or ``--model``)
unless ``--api-url`` points at a running one; there, every handoff it causes stays in the
agents' queue.

``--holdout-share S`` measures the bot on questions it was not trained on: a seeded share S of
every category of the test file is held out, a model is trained (minutes) on our NLU data with
the rest of the file as its BANKING77 examples, and the held-out questions are sent to it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from assistant.banking77 import accepted_intents, examples_by_intent, nlu_yaml, own_texts, read_rows, split
from bench._nlu_common import SHARED_DATA
from bench.containment_outcomes import (
    ERROR,
    OUTCOMES,
    Message,
    Result,
    classify,
    fallback_texts,
    load_messages,
    offers_buttons,
    stratified_sample,
    summarise,
    tracker_intents,
)
from bench.stats import print_table, write_json
from stack.customer_sessions import login_headers
from stack.processes import ROOT, fresh_stack, latest_model

DEFAULT_TEST = SHARED_DATA / "banking77" / "train.csv"
CUSTOMER, CHANNEL = "cus_001", "web"
RATE_LIMIT_RETRIES = 5



def mapping(messages: list[Message]) -> dict[str, frozenset[str]]:
    """Each category of the messages -> the bot's intents that answer it (assistant.banking77)."""
    return {m.category: accepted_intents(m.category) for m in messages}


@contextmanager
def own_stack(model: Path) -> Iterator[tuple[str, str]]:
    """The stack on a fresh SQLite database: (API URL, Rasa URL with its API token)."""
    print(f"starting the stack with {model}", file=sys.stderr, flush=True)
    with fresh_stack("bench-containment", timeout_s=600, model=model) as stack:
        print(f"stack up (logs in {stack.config.log_dir})", file=sys.stderr, flush=True)
        yield stack.config.api_url, f"{stack.config.rasa_url}?{urlencode(stack.rasa_api_params)}"


def post(http: httpx.Client, url: str, **kwargs: Any) -> tuple[httpx.Response, float]:
    """POST, waiting out rate limits; the response and its latency in ms."""
    for _ in range(RATE_LIMIT_RETRIES):
        began = time.perf_counter()
        response = http.post(url, **kwargs)
        elapsed_ms = (time.perf_counter() - began) * 1000
        if response.status_code != 429:
            break
        time.sleep(float(response.headers.get("Retry-After", "1")))
    return response, elapsed_ms


def one(http: httpx.Client, rasa_url: str | None, message: Message, fallbacks: frozenset[str]) -> Result:
    started, _ = post(http, "/v1/conversations", json={"channel": CHANNEL},
                      headers=login_headers(http, CUSTOMER))
    started.raise_for_status()
    conversation = started.json()
    try:
        turn, latency_ms = post(
            http, f"/v1/conversations/{conversation['id']}/messages", json={"text": message.text},
            headers={"Authorization": f"Bearer {conversation['token']}"},
        )
    except httpx.HTTPError:
        turn, latency_ms = None, 0.0
    if turn is None or turn.status_code != 200:
        return Result(message.category, message.text, ERROR, None, False, latency_ms)
    replies = turn.json()["replies"]
    intent = acted = None
    if rasa_url is not None:
        base, _, query = rasa_url.partition("?")
        tracker = http.get(f"{base}/conversations/{conversation['id']}/tracker?{query}")
        if tracker.status_code == 200:
            intent, acted = tracker_intents(tracker.json())
    return Result(message.category, message.text, classify(replies, fallbacks), intent,
                  offers_buttons(replies), latency_ms, acted)


def run(api_url: str, rasa_url: str | None, messages: list[Message]) -> list[Result]:
    fallbacks = fallback_texts()
    results: list[Result] = []
    with httpx.Client(base_url=api_url, timeout=120) as http:
        for n, message in enumerate(messages, start=1):
            results.append(one(http, rasa_url, message, fallbacks))
            progress(n, len(messages))
    return results


def progress(n: int, total: int) -> None:
    """``n/N`` on stderr: one updated line on a terminal, else a line every 1%."""
    if sys.stderr.isatty():
        print(f"\rcontainment: {n}/{total}", end="\n" if n == total else "", file=sys.stderr, flush=True)
    elif n == total or n % max(1, total // 100) == 0:
        print(f"containment: {n}/{total}", file=sys.stderr, flush=True)


def pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.1%}"


def report(summary: dict[str, Any]) -> None:
    accuracy = pct(summary["accuracy_mapped"]) + f" over {summary['mapped_messages']} mapped messages"
    acted = pct(summary["accuracy_acted"]) + " (read right and acted on without asking)"
    print_table(
        [("messages", summary["messages"]), *((o, pct(summary[o])) for o in OUTCOMES),
         ("errors", summary["errors"]), ("buttons offered", pct(summary["buttons_offered"])),
         ("intent accuracy", accuracy), ("acted accuracy", acted),
         ("latency p50 ms", summary["latency"]["p50_ms"]),
         ("latency p95 ms", summary["latency"]["p95_ms"])],
        header=["overall", "value"],
    )
    print()
    rows = []
    for category, c in summary["per_category"].items():
        top = next(iter(c["intents"].items()), None)
        rows.append([category, c["messages"], *(pct(c[o]) for o in OUTCOMES),
                     f"{top[0]} {pct(top[1])}" if top else "n/a", pct(c["accuracy_mapped"])])
    print_table(rows, header=["category (worst first)", "n", *OUTCOMES, "top intent", "accuracy"])


def train_without(test: Path, share: float, seed: int, work: Path) -> tuple[Path, list[Message]]:
    """A model trained with ``share`` of every category of ``test`` held out, and the held-out
    questions. Our own NLU data is kept whole; the rest of ``test`` is its BANKING77 part."""
    kept, held = split(read_rows(test), share, seed)
    data = work / "nlu_data"
    shutil.copytree(ROOT / "nlu_data", data)
    banking77 = data / "banking77.yml"
    banking77.write_text(nlu_yaml(examples_by_intent(kept, own_texts(data, banking77))), encoding="utf-8")
    print(f"training on {len(kept)} of the file's questions, {len(held)} held out",
          file=sys.stderr, flush=True)
    env = {**os.environ, "MODEL_DIR": str(work / "models"), "NLU_DIR": str(data), "FORCE": "1"}
    subprocess.run(["bash", str(ROOT / "scripts" / "train_assistant.sh")], cwd=ROOT, env=env, check=True)
    return latest_model(work / "models"), [Message(" ".join(r.text.split()), r.category) for r in held]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", type=Path, default=DEFAULT_TEST, help="BANKING77-format CSV")
    parser.add_argument("--limit", type=int, help="a stratified sample of about this many messages")
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed")
    parser.add_argument("--api-url", help="a running stack's API (default: start one; no intents)")
    parser.add_argument("--model", type=Path, help="the model its own stack runs (default: the latest)")
    parser.add_argument("--holdout-share", type=float,
                        help="train a model without this share of the test file and test on that share")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "containment.json")
    args = parser.parse_args()
    if args.holdout_share is not None and (args.api_url or args.model or not 0 < args.holdout_share < 1):
        parser.error("--holdout-share is in (0, 1) and trains its own model for its own stack")
    with tempfile.TemporaryDirectory(prefix="bench-containment-") as work:
        if args.holdout_share is not None:
            model, messages = train_without(args.test, args.holdout_share, args.seed, Path(work))
        else:
            model, messages = args.model or latest_model(), load_messages(args.test)
        if args.limit:
            messages = stratified_sample(messages, args.limit, args.seed)
        if args.api_url:
            results = run(args.api_url.rstrip("/"), None, messages)
        else:
            with own_stack(model) as (api_url, rasa_url):
                results = run(api_url, rasa_url, messages)
    categories = mapping(messages)
    summary = summarise(results, categories)
    report(summary)
    write_json(args.out, {
        "benchmark": "containment",
        "test": str(args.test),
        "limit": args.limit,
        "seed": args.seed if args.limit else None,
        "holdout_share": args.holdout_share,
        "stack": args.api_url or "own",
        "intent_source": None if args.api_url else "rasa_tracker",
        **summary,
        "mapping": {category: sorted(intents) for category, intents in sorted(categories.items())},
    })


if __name__ == "__main__":
    main()
