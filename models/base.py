"""Shared metadata settings and column helpers."""

from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

# Fixed constraint names, so migrations are reproducible on every engine.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def text_enum(enum: type[StrEnum]) -> Any:
    """A string enum stored as plain text (no native enum, no CHECK): values, not names."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
