"""The database foundation every package's tables stand on.

- ``base``: the declarative ``Base`` (one metadata, one naming convention), ``UtcDateTime``
  and ``utcnow``.
- ``engine``: ``get_engine`` (SQLite and PostgreSQL settings) and ``session_factory``.
- ``settings``: ``DatabaseSettings`` and the default URL (``DATABASE_URL``).

Models stay with their packages; Alembic migrates ``Base.metadata``. Nothing is connected at
import time.
"""
