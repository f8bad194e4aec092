"""The action server's one profile store, built on first use (not at import)."""

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bank.store import ProfileStore


@lru_cache(maxsize=1)
def get_store() -> "ProfileStore":
    """The process-wide ``ProfileStore`` on ``DATABASE_URL``, created on the first call."""
    from bank.store import ProfileStore

    return ProfileStore.from_settings()
