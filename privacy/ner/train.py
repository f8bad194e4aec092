"""Trains the tagger: ``python -m privacy.ner.train [--sentences N] [--epochs E]``.

Writes ``privacy/ner/tagger_weights.json.gz``. Needs the ``faker`` development package.
Deterministic for a given seed and Faker version.
"""

import argparse
from pathlib import Path

from privacy.ner.synth import SentenceFactory, to_training_example
from privacy.ner.tagger import train

WEIGHTS_PATH = Path(__file__).with_name("tagger_weights.json.gz")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=12_000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args(argv)
    factory = SentenceFactory(seed=args.seed)
    examples = [to_training_example(*factory.sentence()) for _ in range(args.sentences)]
    tagger = train(examples, epochs=args.epochs, seed=args.seed)
    tagger.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, {len(tagger.weights)} features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
