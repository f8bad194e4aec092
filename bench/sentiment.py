"""Sentiment benchmark: our MiniLM sentiment architecture against simple baselines.

    .venv-rasa/bin/python -m bench.sentiment [--train CSV --test CSV] --out OUT.json

Data sets, each scored for ours and a baseline in the same run:
- `airline`: the airline CSV format (`text`, `airline_sentiment`); ours is trained on
  TRAIN and tested on TEST (default: a fixed, seeded, stratified 80/20 split of
  `../shared/data/sentiment/airline/dev.csv`); baseline: frozen MiniLM embeddings with
  logistic regression, trained on the same TRAIN.
- `tweeteval_emotion`: anger / joy / optimism / sadness (`--emotion-train`,
  `--emotion-test`: TweetEval file prefixes, default its train and val files); same
  pair of systems.
- `airline_from_our_data`: the SHIPPED model, trained only on the messages we wrote
  (`nlu_data/sentiment/`), against VADER, both on the airline TEST: how our own data
  generalises.

Latency is the CPU time per message on one pinned core with one thread (wall-clock is
printed too), through the same code the Rasa component runs (`SentimentModel.analyse`),
over the first `--latency-messages` test messages.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench._nlu_common import (
    REPO_ROOT,
    SHARED_DATA,
    pin_to_one_core,
    print_table,
    read_labelled_csv,
    scores,
    stratified_split,
    wall_percentiles,
)

AIRLINE = SHARED_DATA / "sentiment" / "airline" / "dev.csv"
EMOTION = SHARED_DATA / "sentiment" / "tweeteval_emotion"
OUR_DATA = REPO_ROOT / "nlu_data" / "sentiment"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, help="airline-format training CSV")
    parser.add_argument("--test", type=Path, help="airline-format test CSV")
    parser.add_argument("--emotion-train", type=Path, default=EMOTION / "train",
                        help="TweetEval prefix: PREFIX_text.txt and PREFIX_labels.txt")
    parser.add_argument("--emotion-test", type=Path, default=EMOTION / "val")
    parser.add_argument("--out", type=Path,
                        default=REPO_ROOT / "bench" / "results" / "sentiment.json")
    parser.add_argument("--epochs", type=int, default=3,
                        help="fine-tuning epochs on the external training sets")
    parser.add_argument("--latency-messages", type=int, default=500)
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["airline", "tweeteval_emotion", "airline_from_our_data"])
    return parser.parse_args(argv)


def read_tweeteval(prefix: Path) -> tuple[list[str], list[str]]:
    """TweetEval texts and label names (`mapping.txt` beside the files names the ids)."""
    mapping = {}
    for line in (prefix.parent / "mapping.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            number, name = line.split("\t")
            mapping[number.strip()] = name.strip()
    texts = Path(f"{prefix}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = Path(f"{prefix}_labels.txt").read_text(encoding="utf-8").splitlines()
    return [" ".join(t.split()) for t in texts], [mapping[label.strip()] for label in labels]


def airline_data(args: argparse.Namespace) -> tuple[list[str], list[str], list[str], list[str]]:
    """The airline training and test sets: the given files or the default split."""
    if args.train is not None and args.test is not None:
        return (*read_labelled_csv(args.train, "text", "airline_sentiment"),
                *read_labelled_csv(args.test, "text", "airline_sentiment"))
    if args.train is not None or args.test is not None:
        raise SystemExit("give both --train and --test, or neither for the default split")
    texts, labels = read_labelled_csv(AIRLINE, "text", "airline_sentiment")
    return stratified_split(texts, labels)


def timed_predictions(predict_one: Callable[[str], str], texts: Sequence[str],
                      latency_messages: int) -> tuple[list[str], list[float]]:
    """Predicts every text; returns the CPU ms of the first `latency_messages` calls.

    The wall-clock percentiles are printed (see `bench._nlu_common.scores` for why the
    JSON keeps CPU time).
    """
    cpu_ms = []
    wall_ms = []
    predictions = []
    for i, text in enumerate(texts):
        started, cpu_started = time.perf_counter(), time.process_time()
        predictions.append(predict_one(text))
        if i < latency_messages:
            cpu_ms.append((time.process_time() - cpu_started) * 1000.0)
            wall_ms.append((time.perf_counter() - started) * 1000.0)
    print(f"    {wall_percentiles(wall_ms)}", flush=True)
    return predictions, cpu_ms


def run_ours(train_x: list[str], train_y: list[str], test_x: list[str], test_y: list[str],
             epochs: int, latency_messages: int, frustrated: list[bool] | None = None,
             ) -> dict[str, float]:
    """Trains our architecture (as the SentimentAnalyzer does) and scores it on one core."""
    from assistant.components.sentiment_analyzer import SentimentAnalyzer
    from assistant.components.sentiment_model import SentimentModel, train_sentiment_model
    from assistant.components.training_config import encoder_dir, training_settings

    config = {**SentimentAnalyzer.get_default_config(), "epochs": epochs}
    with tempfile.TemporaryDirectory(prefix="bench-sentiment-") as tmp:
        started = time.perf_counter()
        train_sentiment_model(encoder_dir(None), train_x, train_y, frustrated,
                              training_settings(config), Path(tmp))
        train_s = time.perf_counter() - started
        with OneCore():
            model = SentimentModel.load(Path(tmp), threads=1)
            model.analyse(test_x[:20])  # warm-up
            predicted, latency = timed_predictions(lambda t: model.analyse([t])[0].label,
                                                   test_x, latency_messages)
    return scores(test_y, predicted, latency, train_s)


def run_frozen_baseline(train_x: list[str], train_y: list[str], test_x: list[str],
                        test_y: list[str], latency_messages: int) -> dict[str, float]:
    """Frozen all-MiniLM-L6-v2 sentence embeddings with logistic regression."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    from assistant.components.training_config import encoder_dir

    torch.set_num_threads(1)
    encoder = SentenceTransformer(str(encoder_dir(None)), device="cpu")
    started = time.perf_counter()
    features = encoder.encode(train_x, batch_size=64, normalize_embeddings=True)
    classifier = LogisticRegression(C=10.0, max_iter=2000, random_state=42)
    classifier.fit(features, train_y)
    train_s = time.perf_counter() - started

    def predict_one(text: str) -> str:
        vector = encoder.encode([text], normalize_embeddings=True)
        return str(classifier.predict(vector)[0])

    with OneCore():
        predict_one(test_x[0])
        predicted, latency = timed_predictions(predict_one, test_x, latency_messages)
    return scores(test_y, predicted, latency, train_s)


def run_vader(test_x: list[str], test_y: list[str], latency_messages: int) -> dict[str, float]:
    """VADER's compound score with its usual +-0.05 thresholds (no training)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()

    def predict_one(text: str) -> str:
        compound = analyser.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    with OneCore():
        predicted, latency = timed_predictions(predict_one, test_x, latency_messages)
    return scores(test_y, predicted, latency, 0.0)


class OneCore:
    """Pins the process to one core (and one torch thread) inside a `with` block."""

    def __enter__(self) -> OneCore:
        import torch

        self._cores = os.sched_getaffinity(0)
        self._threads = torch.get_num_threads()
        pin_to_one_core()
        torch.set_num_threads(1)
        return self

    def __exit__(self, *exc: object) -> None:
        import torch

        os.sched_setaffinity(0, self._cores)
        torch.set_num_threads(self._threads)


def main(argv: list[str] | None = None) -> None:
    """Runs each data set's pair, prints a table and writes the JSON."""
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    results: dict[str, dict] = {}
    if "airline" not in args.skip or "airline_from_our_data" not in args.skip:
        train_x, train_y, test_x, test_y = airline_data(args)
    if "airline" not in args.skip:
        print(f"\n=== airline: {len(train_x)} training, {len(test_x)} test messages", flush=True)
        results["airline"] = {
            "ours": run_ours(train_x, train_y, test_x, test_y, args.epochs,
                             args.latency_messages),
            "baseline": run_frozen_baseline(train_x, train_y, test_x, test_y,
                                            args.latency_messages),
            "n_test": len(test_x)}
    if "tweeteval_emotion" not in args.skip:
        e_train_x, e_train_y = read_tweeteval(args.emotion_train)
        e_test_x, e_test_y = read_tweeteval(args.emotion_test)
        print(f"\n=== tweeteval_emotion: {len(e_train_x)} training, {len(e_test_x)} test",
              flush=True)
        results["tweeteval_emotion"] = {
            "ours": run_ours(e_train_x, e_train_y, e_test_x, e_test_y, args.epochs,
                             args.latency_messages),
            "baseline": run_frozen_baseline(e_train_x, e_train_y, e_test_x, e_test_y,
                                            args.latency_messages),
            "n_test": len(e_test_x)}
    if "airline_from_our_data" not in args.skip:
        from assistant.components.sentiment_analyzer import SentimentAnalyzer
        from assistant.components.sentiment_data import load_sentiment_examples

        ours = load_sentiment_examples(OUR_DATA)
        epochs = int(SentimentAnalyzer.get_default_config()["epochs"])
        print(f"\n=== airline_from_our_data: shipped model ({len(ours)} messages we wrote), "
              f"{len(test_x)} airline test messages", flush=True)
        results["airline_from_our_data"] = {
            "ours": run_ours([e.text for e in ours], [e.sentiment for e in ours], test_x, test_y,
                             epochs, args.latency_messages, [e.frustrated for e in ours]),
            "baseline": run_vader(test_x, test_y, args.latency_messages),
            "n_test": len(test_x)}
    baselines = {"airline": "frozen MiniLM + LR", "tweeteval_emotion": "frozen MiniLM + LR",
                 "airline_from_our_data": "VADER"}
    for name, pair in results.items():
        print_table(f"{name} (n_test={pair['n_test']})",
                    {"ours (MiniLM ONNX int8)": pair["ours"], baselines[name]: pair["baseline"]})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
