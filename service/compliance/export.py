"""Export formats of reviewed transcripts: JSON Lines for tools, HTML for people.

Exports hold the redacted transcripts only (placeholders, never vaulted originals).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from service.compliance.schemas import ReviewMessage, ReviewTranscript

MEDIA_TYPES = {"jsonl": "application/x-ndjson", "html": "text/html; charset=utf-8"}


def to_jsonl(transcripts: Sequence[ReviewTranscript]) -> str:
    """One JSON object per line, one line per transcript."""
    return "".join(t.model_dump_json() + "\n" for t in transcripts)


def _highlighted(message: ReviewMessage) -> str:
    text = message.text or ""
    pieces: list[str] = []
    cursor = 0
    for span in message.entities:
        pieces.append(html.escape(text[cursor : span.start]))
        pieces.append(
            f'<mark class="entity" data-entity-type="{html.escape(span.entity_type)}">'
            f"{html.escape(span.placeholder)}</mark>"
        )
        cursor = span.end
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


def _transcript_html(transcript: ReviewTranscript) -> str:
    reasons = ", ".join(h.reason for h in transcript.handoffs) or "no"
    held = ", ".join(transcript.entity_types) or "none"
    rows = []
    for m in transcript.messages:
        who = m.sender if not m.agent else f"agent ({m.agent})"
        intent = f' <span class="intent">{html.escape(m.intent)}</span>' if m.intent else ""
        rows.append(
            f'<tr class="msg msg--{html.escape(m.sender)}"><td>{m.seq}</td>'
            f"<td>{html.escape(m.created_at.isoformat(timespec='seconds'))}</td>"
            f"<td>{html.escape(who)}{intent}</td><td>{_highlighted(m)}</td></tr>"
        )
    return (
        f'<section class="transcript" id="{html.escape(transcript.id)}">'
        f"<h2>Conversation {html.escape(transcript.id)}</h2>"
        f"<dl><dt>Customer</dt><dd>{html.escape(transcript.customer_id or 'not signed in')}</dd>"
        f"<dt>Channel</dt><dd>{html.escape(transcript.channel)}</dd>"
        f"<dt>Started</dt><dd>{html.escape(transcript.created_at.isoformat(timespec='seconds'))}</dd>"
        f"<dt>Handed off</dt><dd>{html.escape(reasons)}</dd>"
        f"<dt>Intents</dt><dd>{html.escape(', '.join(transcript.intents) or '-')}</dd>"
        f"<dt>Personal data held</dt><dd>{html.escape(held)}</dd></dl>"
        "<table><thead><tr><th>#</th><th>Time (UTC)</th><th>From</th><th>Message</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


_STYLE = (
    "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b2733}"
    "table{border-collapse:collapse;width:100%;margin-bottom:32px}"
    "td,th{border-bottom:1px solid #d5dce4;padding:4px 8px;text-align:left;vertical-align:top}"
    "mark.entity{background:#ffe08a;padding:0 2px;border-radius:3px}"
    ".intent{font-size:.8em;color:#4a5866}dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px}"
    "dt{font-weight:600}dd{margin:0}"
)


def to_html(transcripts: Sequence[ReviewTranscript], exported_by: str, exported_at: datetime) -> str:
    """A self-contained, printable HTML page of the transcripts."""
    body = "".join(_transcript_html(t) for t in transcripts) or "<p>No transcripts matched.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Transcript export</title><style>{_STYLE}</style></head><body>"
        "<h1>Transcript export</h1>"
        f"<p>Exported by {html.escape(exported_by)} at "
        f"{html.escape(exported_at.isoformat(timespec='seconds'))}. {len(transcripts)} transcript(s). "
        "Highlighted placeholders stand for personal data kept in the encrypted vault; "
        "revealing one needs a stated reason and is audited.</p>"
        f"{body}</body></html>"
    )
