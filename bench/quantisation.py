"""Quantisation benchmark: the intent model served as int8 ONNX against the same model in fp32.

    .venv-rasa/bin/python -m bench.quantisation [--train CSV --test CSV] --out OUT.json

Trains our intent architecture once (the `TransformerIntentClassifier` defaults, as
`rasa train` does), exports the one trained model twice, as fused fp32 ONNX and as the
int8 (dynamic, per-channel) ONNX the component ships, and scores both on TEST
(BANKING77 format, `text,category`; default: the fixed split `bench.intent` uses).

Reports for each: accuracy, macro-F1, CPU ms per message on one pinned core with one
thread (p50/p95), and the model file's size; and between them: how often the top intent
agrees and the mean absolute difference of the top confidence.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from bench._nlu_common import REPO_ROOT, print_table, scores
from bench.intent import load_data
from bench.sentiment import OneCore, timed_predictions


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, help="training CSV (text,category)")
    parser.add_argument("--test", type=Path, help="test CSV (text,category)")
    parser.add_argument("--out", type=Path,
                        default=REPO_ROOT / "bench" / "results" / "quantisation.json")
    parser.add_argument("--latency-messages", type=int, default=1000)
    return parser.parse_args(argv)


def score_bundle(bundle: Path, test_x: list[str], test_y: list[str], train_s: float,
                 latency_messages: int) -> tuple[dict[str, float], np.ndarray]:
    """One exported bundle's figures and its class probabilities for every test text."""
    from assistant.components.onnx_text_classifier import MODEL_FILE, OnnxTextClassifier

    rows: list[np.ndarray] = []

    def predict_one(text: str) -> str:
        rows.append(model.predict([text]).probabilities[0])
        return model.labels[int(rows[-1].argmax())]

    with OneCore():
        model = OnnxTextClassifier.load(bundle, threads=1)
        model.predict(test_x[:20])  # warm-up
        predicted, latency = timed_predictions(predict_one, test_x, latency_messages)
    probabilities = np.stack(rows)
    figures = scores(test_y, predicted, latency, train_s)
    figures["size_mb"] = round((bundle / MODEL_FILE).stat().st_size / 1e6, 1)
    return figures, probabilities


def main(argv: list[str] | None = None) -> None:
    """Trains once, exports fp32 and int8, scores both, prints a table and writes the JSON."""
    from assistant.components.onnx_export import export_bundle, train_labelled
    from assistant.components.training_config import encoder_dir, training_settings
    from assistant.components.transformer_intent_classifier import TransformerIntentClassifier

    args = parse_args(argv)
    train_x, train_y, test_x, test_y = load_data(args)
    print(f"{len(train_x)} training and {len(test_x)} test messages", flush=True)
    config = TransformerIntentClassifier.get_default_config()
    settings = training_settings(config)
    started = time.perf_counter()
    model, tokenizer, names = train_labelled(encoder_dir(None), train_x, train_y, settings)
    train_s = time.perf_counter() - started
    results: dict[str, dict[str, float]] = {}
    probabilities: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory(prefix="bench-quantisation-") as tmp:
        for name, quantize in (("fp32", False), ("int8", True)):
            bundle = Path(tmp) / name
            export_bundle(model, tokenizer, names, bundle,
                          {"max_length": settings.max_length}, quantize=quantize)
            print(f"\n{name}:", flush=True)
            results[name], probabilities[name] = score_bundle(
                bundle, test_x, test_y, train_s, args.latency_messages)
    fp32, int8 = probabilities["fp32"], probabilities["int8"]
    comparison = {
        "top_intent_agreement": round(float((fp32.argmax(1) == int8.argmax(1)).mean()), 4),
        "mean_abs_confidence_change": round(float(np.abs(fp32.max(1) - int8.max(1)).mean()), 4),
        "p50_ratio_int8_to_fp32": round(results["int8"]["p50_ms"] / results["fp32"]["p50_ms"], 3),
    }
    print_table(f"intent model, fp32 against int8 (n_test={len(test_x)})", results)
    print("\n" + "\n".join(f"{key}: {value}" for key, value in comparison.items()))
    print(f"model file: fp32 {results['fp32']['size_mb']} MB, int8 {results['int8']['size_mb']} MB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({**results, "comparison": comparison,
                                    "n_test": len(test_x)}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
