"""Credentials: Argon2 password hashes and hashed bearer tokens.

Tokens are 256 random bits; only their SHA-256 is stored, so the table is useless to whoever
reads it, and a request finds its token by an indexed lookup. Who may set a password or
issue a token is `workflow/account_admin.py`; who a token belongs to, `api/auth.py`.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, select

from models.organization import User
from workflow.errors import Forbidden, ValidationFailed, reason

TOKEN_PREFIX = "lp_"
MIN_PASSWORD_LENGTH = 10
PASSWORDS = PasswordHash((Argon2Hasher(),))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified when the username does not exist, so a miss costs as long as a wrong
    password (made on first use: hashing takes a noticeable fraction of a second)."""
    return PASSWORDS.hash(secrets.token_urlsafe(16))


class AccountDeactivated(Forbidden):
    """The credentials are right but the account is deactivated (HTTP 403)."""

    code = "account_deactivated"


def account_deactivated(username: str) -> AccountDeactivated:
    return AccountDeactivated(
        [
            reason(
                "account_deactivated",
                f"บัญชีผู้ใช้ {username} ถูกระงับ โปรดติดต่อผู้ดูแลระบบ",
                f"the account {username} is deactivated; ask an admin",
            )
        ]
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh bearer token (shown once; only `hash_token` of it is stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    """The Argon2 hash of a new password of at least MIN_PASSWORD_LENGTH characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            [
                reason(
                    "password_too_short",
                    f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร",
                    f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
                )
            ]
        )
    return PASSWORDS.hash(password)


def check_password(session: Session, *, username: str, password: str) -> User | None:
    """The active user whose password this is, or None. Runs Argon2 even for unknown users.
    The right password of a deactivated user raises AccountDeactivated (only who knows the
    password learns that the account exists and is deactivated)."""
    user = session.exec(select(User).where(User.username == username)).first()
    stored = user.password_hash if user is not None else None
    valid = PASSWORDS.verify(password, stored or _dummy_hash())
    if user is None or stored is None or not valid:
        return None
    if not user.is_active:
        raise account_deactivated(user.username)
    return user
