"""Command line: ``python -m privacy redact`` and ``python -m privacy new-key``.

``redact`` reads one message per line on standard input and writes one JSON object per
line: ``{"text": redacted, "spans": [{"start", "end", "entity_type", "score"}]}`` with
offsets in the ORIGINAL line, so any labelled set can be scored from outside. Each line
is its own conversation (no placeholder or tail carried between lines) unless
``--conversation`` is given.
"""

import argparse
import json
import sys
import warnings

from privacy.keys import new_key


def _redact(conversation: bool) -> int:
    from privacy.factory import build_redactor
    from privacy.redaction import RedactionContext
    from privacy.settings import PrivacySettings

    settings = PrivacySettings()
    with warnings.catch_warnings():
        if settings.vault_key is None:
            warnings.simplefilter("ignore")  # the CLI prints placeholders only, nothing is vaulted
        redactor = build_redactor(settings)
    context = RedactionContext()
    for line in sys.stdin:
        message = line.rstrip("\n")
        if not conversation:
            context = RedactionContext()
        redaction = redactor.redact(message, context)
        spans = [
            {"start": s.start, "end": s.end, "entity_type": str(s.entity_type), "score": s.score}
            for s in redaction.spans
        ]
        sys.stdout.write(json.dumps({"text": redaction.text, "spans": spans}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m privacy``."""
    parser = argparse.ArgumentParser(prog="python -m privacy", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    redact = commands.add_parser("redact", help="redact stdin, one message per line, JSON lines out")
    redact.add_argument("--conversation", action="store_true", help="treat all lines as one conversation")
    commands.add_parser("new-key", help="print a new random PRIVACY_VAULT_KEY")
    args = parser.parse_args(argv)
    if args.command == "new-key":
        print(new_key())
        return 0
    return _redact(args.conversation)


if __name__ == "__main__":
    raise SystemExit(main())
