"""Signed checkpoints of the history log: its size and Merkle root, signed with Ed25519.

The text follows the C2SP `tlog-checkpoint` and `signed-note` formats (the ones certificate
transparency's successors use), so an auditor can check a checkpoint with any signed-note
verifier or a short script and the installation's public key:

    localplan.example/อบต.แหลมรัง          origin: names the log
    1234                                    size: number of entries
    3pQm…base64 root…=                      root: RFC 6962 tree head (workflow/merkle.py)
    time 2026-12-01T01:00:00Z               an extension line: when it was signed
                                            (blank line)
    — localplan.example/… AbCd…base64…      key hash (4 bytes) ‖ Ed25519 signature

The signature covers the text up to and including the extension lines' last newline. The key
hash is the first 4 bytes of SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key), 0x01 naming Ed25519.
`cryptography` is imported only when a key is used, so commands that never sign stay fast.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

ED25519 = b"\x01"
DASH = "\u2014"  # the em dash that opens a signature line


class BadCheckpoint(ValueError):
    """The text is not a checkpoint, or no signature of the given key verifies."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    signed_at: datetime

    def body(self) -> str:
        if not self.origin or "\n" in self.origin or self.size < 0 or len(self.root) != 32:
            raise BadCheckpoint("a checkpoint needs one origin line, a size and a 32-byte root")
        when = self.signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        root = base64.b64encode(self.root).decode()
        return f"{self.origin}\n{self.size}\n{root}\ntime {when}\n"


def key_hash(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def new_private_key() -> bytes:
    """A fresh Ed25519 private key, as its 32 raw bytes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def public_key_of(private_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(private_key)
    return key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def sign(checkpoint: Checkpoint, *, name: str, private_key: bytes) -> str:
    """The signed note of `checkpoint`, signed by key `name`."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = checkpoint.body()
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(body.encode())
    public = public_key_of(private_key)
    blob = base64.b64encode(key_hash(name, public) + signature).decode()
    return f"{body}\n{DASH} {name} {blob}\n"


def verify(note: str, *, name: str, public_key: bytes) -> Checkpoint:
    """The checkpoint of `note` if key `name` with `public_key` signed it; BadCheckpoint else."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    body, signatures = _split(note)
    wanted = key_hash(name, public_key)
    key = Ed25519PublicKey.from_public_bytes(public_key)
    for line in signatures:
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH or parts[1] != name:
            continue
        blob = _b64(parts[2])
        if blob[:4] != wanted:
            continue
        try:
            key.verify(blob[4:], body.encode())
        except InvalidSignature:
            continue
        return parse_body(body)
    raise BadCheckpoint(f"no valid signature of key {name!r}")


def parse_body(body: str) -> Checkpoint:
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise BadCheckpoint("a checkpoint has an origin, a size and a root line")
    origin, size, root = lines[0], lines[1], _b64(lines[2])
    if not size.isascii() or not size.isdigit() or (size != "0" and size.startswith("0")):
        raise BadCheckpoint(f"bad size line {size!r}")
    times = [line[5:] for line in lines[3:-1] if line.startswith("time ")]
    if len(times) != 1 or len(root) != 32:
        raise BadCheckpoint("a checkpoint has one time line and a 32-byte root")
    try:
        signed_at = datetime.strptime(times[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as err:
        raise BadCheckpoint(f"bad time line {times[0]!r}") from err
    return Checkpoint(origin=origin, size=int(size), root=root, signed_at=signed_at)


def _split(note: str) -> tuple[str, list[str]]:
    body, sep, rest = note.partition("\n\n")
    if not sep or not rest.endswith("\n"):
        raise BadCheckpoint("a signed note is its text, a blank line and signature lines")
    return body + "\n", rest[:-1].split("\n")


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as err:
        raise BadCheckpoint(f"not base64: {text[:20]!r}") from err
