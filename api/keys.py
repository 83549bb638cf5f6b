"""The installation's signing key: one file, mode 0600, outside the database.

Every process of a deployment reads the same file (`LOCALPLAN_SIGNING_KEY_FILE`); a process
without it serves but does not sign. The file holds the key's name (the origin line of its
checkpoints) and the raw Ed25519 private key, base64, as JSON. Rotation: make a new key with
another name, point the setting at it; old checkpoints keep verifying with the old public key,
which auditors keep (docs/integrity.md).
"""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

from workflow.checkpoints import key_hash, new_private_key, public_key_of
from workflow.log import SigningKey

FORMAT = "localplan-ed25519-v1"


class KeyFileError(ValueError):
    """The key file is missing, unreadable, open to others or not a key."""


def init_key(path: Path, *, name: str) -> SigningKey:
    """Make a new key in a new file (never over an existing one), readable by its owner only."""
    if not name or "\n" in name or " " in name:
        raise KeyFileError("a key name is one word without spaces, e.g. localplan.example/ชื่อ")
    key = SigningKey(name=name, private_key=new_private_key())
    content = {"format": FORMAT, "name": name, "private_key": _b64(key.private_key)}
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as err:
        raise KeyFileError(f"{path} exists: a key is never overwritten") from err
    except OSError as err:
        raise KeyFileError(f"cannot create {path}: {err.strerror}") from err
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(content, out, ensure_ascii=False)
    return key


def load_key(path: Path) -> SigningKey:
    try:
        mode = path.stat().st_mode
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise KeyFileError(f"cannot read the signing key {path}: {err.strerror}") from err
    except ValueError as err:
        raise KeyFileError(f"{path} is not a localplan signing key") from err
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(f"{path} is readable by others: chmod 600 {path}")
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise KeyFileError(f"{path} is not a localplan signing key")
    try:
        private = base64.b64decode(str(raw["private_key"]), validate=True)
        key = SigningKey(name=str(raw["name"]), private_key=private)
        public_key_of(private)
    except (KeyError, ValueError) as err:
        raise KeyFileError(f"{path} holds no valid Ed25519 key") from err
    return key


def public_info(key: SigningKey) -> dict[str, Any]:
    """What auditors keep: the key's name, its public key and its 4-byte key hash."""
    public = public_key_of(key.private_key)
    return {
        "name": key.name,
        "algorithm": "Ed25519",
        "public_key": _b64(public),
        "key_id": key_hash(key.name, public).hex(),
    }


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
