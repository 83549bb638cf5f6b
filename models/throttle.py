"""Attempts to act on plans the caller may not see, counted against the caller."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class UnseenAttempt(SQLModel, table=True):
    """One command on a plan the caller may not see (another organization's or none at all).

    Kept out of every plan's trail (`refused_attempt`) so nobody writes into another
    organization's history; counted per user in a window to limit the rate (api/throttling.py)
    and pruned like the failed logins."""

    __tablename__ = "unseen_attempt"
    __table_args__ = (sa.Index("ix_unseen_attempt_user_at", "user_id", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    action: str = Field(max_length=32)
    # The id tried, for an admin looking into a flood: no foreign key (it may not exist).
    plan_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    request_id: str | None = Field(default=None, max_length=64)


__all__ = ["UnseenAttempt"]
