"""Signed checkpoints: round trip, every kind of tampering refused, the signed-note format."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from workflow.checkpoints import (
    BadCheckpoint,
    Checkpoint,
    key_hash,
    new_private_key,
    public_key_of,
    sign,
    verify,
)
from workflow.merkle import leaf_hash, tree_head

NAME = "localplan.test/แหลมรัง"
KEY = new_private_key()
PUBLIC = public_key_of(KEY)
BANGKOK = timezone(timedelta(hours=7))
CHECKPOINT = Checkpoint(
    origin=NAME,
    size=3,
    root=tree_head([leaf_hash(b"a"), leaf_hash(b"b"), leaf_hash(b"c")]),
    signed_at=datetime(2026, 12, 1, 8, 0, 0, tzinfo=BANGKOK),
)


def independent_verify(note: str, name: str, public: bytes) -> tuple[int, bytes]:
    """What an auditor's script does, from the signed-note format alone."""
    text, _, signatures = note.partition("\n\n")
    text += "\n"
    for line in signatures.splitlines():
        dash, signer, blob = line.split(" ")
        raw = base64.b64decode(blob)
        wanted = hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
        if dash == "—" and signer == name and raw[:4] == wanted:
            Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], text.encode())
            lines = text.split("\n")
            return int(lines[1]), base64.b64decode(lines[2])
    raise AssertionError("no signature of that key")


def test_a_signed_checkpoint_verifies_and_reads_back() -> None:
    note = sign(CHECKPOINT, name=NAME, private_key=KEY)
    back = verify(note, name=NAME, public_key=PUBLIC)
    assert back == replace(CHECKPOINT, signed_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    assert independent_verify(note, NAME, PUBLIC) == (3, CHECKPOINT.root)
    lines = note.split("\n")
    root = base64.b64encode(CHECKPOINT.root).decode()
    assert lines[:4] == [NAME, "3", root, "time 2026-12-01T01:00:00Z"]
    assert lines[4] == "" and lines[5].startswith(f"— {NAME} ") and lines[6] == ""


def test_the_key_hash_names_the_key() -> None:
    assert key_hash(NAME, PUBLIC) != key_hash(NAME, public_key_of(new_private_key()))
    assert key_hash(NAME, PUBLIC) != key_hash("other", PUBLIC)
    assert len(key_hash(NAME, PUBLIC)) == 4


@pytest.mark.parametrize(
    "change",
    [
        lambda n: n.replace("\n3\n", "\n4\n", 1),  # another size
        lambda n: n.replace("time 2026-12-01T01", "time 2026-12-02T01"),  # another time
        lambda n: n.replace(NAME, "localplan.test/อื่น", 1),  # another origin
        lambda n: n[: n.index("\n") + 3] + "A" + n[n.index("\n") + 4 :],  # another root
    ],
)
def test_any_change_to_the_text_breaks_the_signature(change: object) -> None:
    note = sign(CHECKPOINT, name=NAME, private_key=KEY)
    changed = change(note)  # type: ignore[operator]
    assert changed != note
    with pytest.raises(BadCheckpoint):
        verify(changed, name=NAME, public_key=PUBLIC)


def test_another_key_or_name_does_not_verify() -> None:
    note = sign(CHECKPOINT, name=NAME, private_key=KEY)
    with pytest.raises(BadCheckpoint):
        verify(note, name=NAME, public_key=public_key_of(new_private_key()))
    with pytest.raises(BadCheckpoint):
        verify(note, name="other", public_key=PUBLIC)
    forged = sign(CHECKPOINT, name=NAME, private_key=new_private_key())
    with pytest.raises(BadCheckpoint):
        verify(forged, name=NAME, public_key=PUBLIC)


MALFORMED = ["", "x\n", "a\n1\nroot\n\n— a b\n", "a\n01\n" + "A" * 44 + "\n\n"]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_notes_are_refused(text: str) -> None:
    with pytest.raises(BadCheckpoint):
        verify(text, name="a", public_key=PUBLIC)


def test_a_checkpoint_needs_a_real_root_and_one_origin_line() -> None:
    with pytest.raises(BadCheckpoint):
        replace(CHECKPOINT, root=b"short").body()
    with pytest.raises(BadCheckpoint):
        replace(CHECKPOINT, origin="two\nlines").body()
