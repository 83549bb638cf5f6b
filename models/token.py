"""API tokens (stored hashed) and failed logins (for rate limiting)."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class ApiToken(SQLModel, table=True):
    """A bearer token for one user. Only its SHA-256 is stored: the token itself is shown once.

    Tokens are random (256 bits), so a fast hash is enough to make a stolen table useless,
    and it lets a request find its token by an indexed lookup.
    """

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)  # the first characters, to recognise a token in lists
    label: str = Field(max_length=100)  # "login", "cli", "demo", or what the operator wrote
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """One failed password login, counted per username and per client address in a window."""

    __tablename__ = "login_failure"
    __table_args__ = (
        sa.Index("ix_login_failure_username_at", "username", "attempted_at"),
        sa.Index("ix_login_failure_address_at", "address", "attempted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    address: str = Field(max_length=64)
    attempted_at: datetime = Field(sa_type=UTCDateTime)


__all__ = ["ApiToken", "LoginFailure"]
