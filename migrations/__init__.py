"""The Alembic migration history of every table (``versions/``) and its environment."""
