"""Intent benchmark: our transformer classifier against stock Rasa DIET on BANKING77-format data.

Both systems are trained with `rasa train nlu` and evaluated through a loaded Rasa model
(`Agent.parse_message`), one message at a time, in a process pinned to one core with
one thread; p50/p95 are the CPU milliseconds of each parse (wall-clock is printed too).
Accuracy and macro-F1 use the top intent (no FallbackClassifier in either pipeline).

    .venv-rasa/bin/python -m bench.intent [--train CSV --test CSV] --out OUT.json [--baseline]

Without `--train/--test` it uses a fixed, seeded, stratified 80/20 split of
`../shared/data/banking77/train.csv`. Stock DIET takes hours at its default 100 epochs
on this hardware, so its figures are kept in `bench/baselines/diet_banking77.json` and
re-run only with `--baseline` (`--baseline-epochs` sets its epochs).
"""

from __future__ import annotations

import argparse
import datetime
import json
import shlex
import sys
import tempfile
from pathlib import Path

from bench._nlu_common import (
    REPO_ROOT,
    SHARED_DATA,
    SPLIT_SEED,
    parse_with_rasa,
    print_table,
    read_labelled_csv,
    save_confusion_matrix,
    scores,
    stratified_split,
    train_rasa_nlu,
    wall_percentiles,
    write_rasa_nlu,
)

BANKING77_TRAIN = SHARED_DATA / "banking77" / "train.csv"
STORED_BASELINE = REPO_ROOT / "bench" / "baselines" / "diet_banking77.json"
DEFAULT_SPLIT = f"banking77/train.csv, stratified 80/20, seed {SPLIT_SEED}"

OURS_CONFIG = """\
recipe: default.v1
assistant_id: bench_intent_ours
language: en
pipeline:
  - name: assistant.components.transformer_intent_classifier.TransformerIntentClassifier
policies: []
"""

# Rasa's default pipeline (rasa/engine/recipes/config_files/default_config.yml), less the
# ResponseSelector (no responses here) and the FallbackClassifier (top intent is scored).
BASELINE_CONFIG = """\
recipe: default.v1
assistant_id: bench_intent_diet
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: "char_wb"
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: {epochs}
    constrain_similarities: true
    random_seed: {seed}
  - name: EntitySynonymMapper
policies: []
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, help="training CSV (text,category)")
    parser.add_argument("--test", type=Path, help="test CSV (text,category)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results" / "intent.json")
    parser.add_argument("--baseline", action="store_true", help="re-run stock DIET now")
    parser.add_argument("--baseline-epochs", type=int, default=100)
    parser.add_argument("--skip-ours", action="store_true", help="only the baseline")
    parser.add_argument("--work-dir", type=Path, help="keep models and data here")
    return parser.parse_args(argv)


def load_data(args: argparse.Namespace) -> tuple[list[str], list[str], list[str], list[str]]:
    """The training and test texts and labels: the given files or the default split."""
    if (args.train is None) != (args.test is None):
        sys.exit("give both --train and --test, or neither for the default split")
    if args.train is not None:
        train_x, train_y = read_labelled_csv(args.train, "text", "category")
        test_x, test_y = read_labelled_csv(args.test, "text", "category")
        return train_x, train_y, test_x, test_y
    if not BANKING77_TRAIN.exists():
        sys.exit(f"{BANKING77_TRAIN} is absent: pass --train and --test")
    texts, labels = read_labelled_csv(BANKING77_TRAIN, "text", "category")
    return stratified_split(texts, labels)


def run_system(name: str, config_text: str, work: Path, nlu: Path, test_x: list[str],
               test_y: list[str]) -> tuple[dict[str, float], list[str]]:
    """Trains one pipeline, parses the test set on one core and scores it."""
    config = work / f"config_{name}.yml"
    config.write_text(config_text, encoding="utf-8")
    print(f"\n=== training {name} ({len(test_x)} test messages afterwards)", flush=True)
    model, train_s = train_rasa_nlu(config, nlu, work, name)
    print(f"=== {name}: trained in {train_s:.0f} s; parsing on one core", flush=True)
    parsed = parse_with_rasa(model, test_x)
    predicted = [(r["intent"] or {}).get("name") or "" for r in parsed["results"]]
    print(f"=== {name}: {wall_percentiles(parsed['latency_ms'])}", flush=True)
    return scores(test_y, predicted, parsed["cpu_ms"], train_s), predicted


def main(argv: list[str] | None = None) -> None:
    """Runs the benchmark, prints the table and writes the JSON (and a confusion matrix PNG)."""
    args = parse_args(argv)
    train_x, train_y, test_x, test_y = load_data(args)
    default_split = args.train is None
    print(f"intent benchmark: {len(train_x)} training, {len(test_x)} test messages, "
          f"{len(set(train_y))} intents ({DEFAULT_SPLIT if default_split else args.test})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-intent-") as tmp:
        work = args.work_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        nlu = work / "nlu.yml"
        write_rasa_nlu(nlu, train_x, train_y)
        rows: dict[str, dict[str, float]] = {}
        if not args.skip_ours:
            rows["ours"], predicted = run_system("ours", OURS_CONFIG, work, nlu, test_x, test_y)
            png = args.out.with_name(args.out.stem + "_confusion.png")
            save_confusion_matrix(test_y, predicted, png, "TransformerIntentClassifier")
            print(f"confusion matrix: {png}")
        if args.baseline:
            config = BASELINE_CONFIG.format(epochs=args.baseline_epochs, seed=SPLIT_SEED)
            rows["baseline"], _ = run_system("baseline", config, work, nlu, test_x, test_y)
            if default_split:
                store_baseline(rows["baseline"], args.baseline_epochs, len(test_x), argv)
        else:
            rows["baseline"] = stored_baseline(default_split)
    label = "stock DIET" if args.baseline else "stock DIET (stored run, see JSON)"
    print_table("intent classification", {"ours (MiniLM ONNX int8)": rows.get("ours", {}),
                                          label: rows["baseline"]})
    result = {"ours": rows.get("ours", {}), "baseline": rows["baseline"], "n_test": len(test_x)}
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


def store_baseline(figures: dict[str, float], epochs: int, n_test: int,
                   argv: list[str] | None) -> None:
    """Keeps a baseline run on the default split in the committed JSON."""
    command = "python -m bench.intent " + shlex.join(argv if argv is not None else sys.argv[1:])
    STORED_BASELINE.parent.mkdir(parents=True, exist_ok=True)
    STORED_BASELINE.write_text(json.dumps({
        "baseline": figures,
        "n_test": n_test,
        "epochs": epochs,
        "data": DEFAULT_SPLIT,
        "date": datetime.date.today().isoformat(),
        "command": command,
        "pipeline": "Rasa 3.6.21 default pipeline (WhitespaceTokenizer, RegexFeaturizer, "
                    "LexicalSyntacticFeaturizer, 2x CountVectorsFeaturizer, DIETClassifier), "
                    "no FallbackClassifier",
    }, indent=2) + "\n", encoding="utf-8")


def stored_baseline(default_split: bool) -> dict[str, float]:
    """The stored DIET figures; warns when they were measured on other data."""
    if not STORED_BASELINE.exists():
        print("no stored baseline: run with --baseline")
        return {}
    stored = json.loads(STORED_BASELINE.read_text(encoding="utf-8"))
    print(f"baseline: stored stock DIET run of {stored['date']} ({stored['epochs']} epochs) "
          f"on {stored['data']}")
    if not default_split:
        print("WARNING: the stored baseline was measured on the default split, not on this "
              "TEST file; pass --baseline to run DIET on it")
    return dict(stored["baseline"])


if __name__ == "__main__":
    main()
