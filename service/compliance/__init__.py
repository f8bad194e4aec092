"""Compliance review: search, read and export redacted transcripts, reveal one original with
a stated reason, retention and the right to be forgotten across every store, and consent.

Every transcript view, export and reveal is written to the privacy layer's hash-chained audit
log. ``python -m service.compliance retention --days N`` applies the retention period from the
command line; the same operations are served under ``/v1/compliance`` and on the ``/compliance``
page.
"""
