"""Background work that each service worker repeats on a timer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable


async def repeat(what: str, round_: Callable[[], Awaitable[str | None]], interval_s: float,
                 log: logging.Logger) -> None:
    """Run ``round_`` every ``interval_s`` seconds until cancelled; no failure stops the loop.

    A round's summary, when it has one, is logged at info. A failed round is logged by its
    error's type alone, as a warning: a database error's text may quote the rows it touched.
    """
    while True:
        await asyncio.sleep(interval_s)
        try:
            summary = await round_()
        except Exception as exc:  # noqa: BLE001 - the loop must survive any one failure
            log.warning("%s round failed: %s", what, type(exc).__name__)
            continue
        if summary:
            log.info("%s round: %s", what, summary)
