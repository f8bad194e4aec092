"""Fixtures of the privacy tests: one real analyzer per session, a fixed key, a SQLite vault."""

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from privacy.factory import build_redactor
from privacy.keys import KeyRing
from privacy.models import Base
from privacy.redactor import Redactor
from privacy.settings import PrivacySettings


@pytest.fixture(scope="session")
def keys() -> KeyRing:
    """A fixed test key ring."""
    return KeyRing.from_master(b"k" * 32)


@pytest.fixture(scope="session")
def redactor(keys: KeyRing) -> Redactor:
    """The real redactor (Presidio + our recognizers + the tagger)."""
    return build_redactor(PrivacySettings(environment="test", chunk_chars=1_000), keys)


@pytest.fixture()
def session() -> Iterator[Session]:
    """A session on a fresh in-memory SQLite database with the privacy tables."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        yield db
    engine.dispose()
