"""Alembic environment: one migration history for every package's tables.

The database URL comes from ``DATABASE_URL`` (``DatabaseSettings``); ``alembic -x url=...``
or the ``sqlalchemy.url`` option set by a caller (tests) takes precedence.

Every table is declared on ``database.base.Base``; ``migrations.tables`` imports each
package's models so that ``Base.metadata`` holds them all.
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from database.settings import DatabaseSettings
from migrations.tables import target_metadata

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    return (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or DatabaseSettings().database_url
    )


def run_migrations_offline() -> None:
    """Write the SQL to stdout instead of running it (``alembic upgrade head --sql``)."""
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate the live database.

    The engine is a plain one: SQLite runs with foreign keys off here, as batch
    migrations (SQLite's way to alter a table) copy and drop tables.
    """
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
