"""Sends the scheduled payments and standing orders that are due, on a timer in each worker.

Every worker may run a round at the same moment: the store locks each customer's rows and
keys each standing order's date, so a payment goes once whichever round reaches it first.
A round runs in a worker thread (the store is synchronous SQLAlchemy); a failed round is
logged by its error's type alone and the next one tries again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from starlette.concurrency import run_in_threadpool

from bank.views import PaymentView
from service.background import repeat

log = logging.getLogger(__name__)

SendDue = Callable[[date | None], Sequence[PaymentView]]


def send_round(send_due: SendDue, today: date | None = None) -> Counter[str]:
    """One round: how many due payments ended in each status (``completed``, ``failed``)."""
    return Counter(payment.status.value for payment in send_due(today))


async def send_due_forever(send_due: SendDue, interval_s: float) -> None:
    """A round every ``interval_s`` seconds until cancelled (see :func:`repeat`)."""

    async def round_() -> str | None:
        outcome = await run_in_threadpool(send_round, send_due)
        return str(dict(sorted(outcome.items()))) if outcome else None

    await repeat("due payments", round_, interval_s, log)
