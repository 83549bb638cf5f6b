"""Alembic environment: the engine is handed in by models.db (no URL in an ini file)."""

from alembic import context
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (fills the metadata)

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
