"""The history log: every append-only row is an entry, numbered in one total order.

Database triggers (models/migrations/append_only.py) append the entry in the transaction that
writes the row, taking the next number from the single `log_head` row under its lock; on
PostgreSQL the trigger is deferred to commit, so the lock is held only for the commit's last
moment and never waits behind another lock. The entries are the leaves of a Merkle tree
(workflow/merkle.py); signed checkpoints of its root (workflow/checkpoints.py) let anyone who
kept one prove later that the log only grew.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class LogHead(SQLModel, table=True):
    """The log's one head row: how many entries it has. It only ever grows by one."""

    __tablename__ = "log_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: int = Field(default=1, primary_key=True)
    size: int = Field(default=0, sa_type=sa.BigInteger)


class LogEntry(SQLModel, table=True):
    """Entry `seq` (0, 1, 2, …) of the log: which row of which history table it is."""

    __tablename__ = "log_entry"
    __table_args__ = (sa.UniqueConstraint("table_name", "row_id"),)

    seq: int = Field(
        primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    table_name: str = Field(max_length=64)
    row_id: int = Field(sa_type=sa.BigInteger)


class LogLeaf(SQLModel, table=True):
    """The leaf hash of an entry, frozen when a checkpoint first covered it."""

    __tablename__ = "log_leaf"

    seq: int = Field(
        primary_key=True,
        foreign_key="log_entry.seq",
        sa_type=sa.BigInteger,
        sa_column_kwargs={"autoincrement": False},
    )
    leaf: str = Field(max_length=64)  # hex SHA-256, RFC 6962 leaf hash


class LogCheckpoint(SQLModel, table=True):
    """A signed checkpoint: the log's size and root at a time, as the signed note says."""

    __tablename__ = "log_checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    size: int = Field(sa_type=sa.BigInteger)
    root: str = Field(max_length=64)  # hex
    signed_at: datetime = Field(sa_type=UTCDateTime)
    key_name: str = Field(max_length=200)
    key_id: str = Field(max_length=8)  # hex of the note's 4-byte key hash
    note: str  # the signed note, verbatim
