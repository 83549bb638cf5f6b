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
import logging
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workflow.checkpoints import ED25519, key_hash, new_private_key, public_key_of
from workflow.log import SigningKey

log = logging.getLogger(__name__)

FORMAT = "localplan-ed25519-v1"


class KeyFileError(ValueError):
    """The key file is missing, unreadable, open to others or not a key."""


def init_key(path: Path, *, name: str) -> SigningKey:
    """Make a new key in a new file (never over an existing one), readable by its owner only."""
    if not name or "\n" in name or " " in name or "+" in name:
        raise KeyFileError("a key name is one word without spaces or +, e.g. localplan.example/ชื่อ")
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
    return public_entry(key.name, public_key_of(key.private_key))


def public_entry(name: str, public: bytes) -> dict[str, Any]:
    """A public key as published: name, algorithm, base64 key, key id and its C2SP vkey."""
    key_id = key_hash(name, public)
    return {
        "name": name,
        "algorithm": "Ed25519",
        "public_key": _b64(public),
        "key_id": key_id.hex(),
        "vkey": f"{name}+{key_id.hex()}+{_b64(ED25519 + public)}",
    }


def parse_vkey(vkey: str) -> tuple[str, bytes]:
    """(name, raw public key) of a C2SP verifier key `name+hexid+base64(0x01 ‖ key)`."""
    name, _, rest = vkey.strip().partition("+")  # a key name never holds "+"; base64 may
    key_id, _, rest = rest.partition("+")
    try:
        raw = base64.b64decode(rest, validate=True)
    except ValueError as err:
        raise KeyFileError(f"not a verifier key: {vkey[:40]!r}") from err
    if not name or raw[:1] != ED25519 or len(raw) != 33 or key_hash(name, raw[1:]).hex() != key_id:
        raise KeyFileError(f"not an Ed25519 verifier key: {vkey[:40]!r}")
    return name, raw[1:]


@dataclass(frozen=True)
class Signer:
    """Whether this process signs: its key, or why not (no secret, no path in `reason`)."""

    key: SigningKey | None
    reason: str | None = None


def process_signer(path: str | None) -> Signer:
    """The key of `LOCALPLAN_SIGNING_KEY_FILE` as this process holds it, read once (a new or
    fixed key file takes effect when the process restarts)."""
    if not path:
        return Signer(None, "no signing key is set (LOCALPLAN_SIGNING_KEY_FILE)")
    return _load_once(path)


@lru_cache(maxsize=4)
def _load_once(path: str) -> Signer:
    try:
        return Signer(load_key(Path(path)))
    except KeyFileError as err:
        log.warning("this process does not sign checkpoints: %s", err)
        return Signer(None, "the signing key file cannot be used (see the log)")


def published_keys(signer: Signer, verifier_keys: list[str]) -> list[dict[str, Any]]:
    """The public keys auditors may check checkpoints with: this process's and earlier ones."""
    found: dict[str, dict[str, Any]] = {}
    if signer.key is not None:
        entry = public_info(signer.key)
        found[entry["vkey"]] = entry
    for vkey in verifier_keys:
        try:
            entry = public_entry(*parse_vkey(vkey))
        except KeyFileError as err:
            log.warning("LOCALPLAN_VERIFIER_KEYS: %s", err)
            continue
        found.setdefault(entry["vkey"], entry)
    return list(found.values())


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
