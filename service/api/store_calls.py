"""Calls into the bank's stores from a route: off the event loop, their errors as HTTP errors
(the status by error class, the store's stable code and customer-safe message)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from bank.errors import ProfileStoreError
from service.errors import ServiceError

T = TypeVar("T")


async def call_store(
    status: Mapping[type[ProfileStoreError], int], action: Callable[..., T], *args: Any, **kwargs: Any
) -> T:
    """``action(*args, **kwargs)`` in the thread pool; a store error becomes a ``ServiceError``
    with the status ``status`` gives its class (or a parent class), 400 if none does."""
    try:
        return await run_in_threadpool(action, *args, **kwargs)
    except ProfileStoreError as exc:
        error = ServiceError(str(exc))
        error.status_code = next((status[c] for c in type(exc).__mro__ if c in status), 400)
        error.code = exc.code
        raise error from exc
