#!/usr/bin/env python3
"""Check a localplan checkpoint and its proofs without trusting the server.

Needs Python 3.10+ and `cryptography` (pip install cryptography); nothing of localplan.
Every root comes from a note whose Ed25519 signature verifies with the public key you kept;
the server's JSON only supplies the proof's hashes, which cannot make a false claim verify.

    # the log of today still holds the checkpoint you kept (RFC 9162 2.1.4.2):
    python3 check_checkpoint.py --key key.json --old kept.txt --consistency consistency.json
    # a history row is in a signed checkpoint (RFC 9162 2.1.3.2):
    python3 check_checkpoint.py --key key.json --inclusion inclusion.json

key.json is `localplan keys show` (or one entry of `public_keys` of GET /api/v1/checkpoints),
or a file holding the key's `vkey` line. kept.txt is a signed note (`localplan audit
checkpoint`, or a checkpoint's "note"). consistency.json is GET
/api/v1/checkpoints/consistency?first=<kept size>&second=<newer size>; inclusion.json is GET
/api/v1/checkpoints/inclusion?table=…&id=… or `localplan audit prove --record ID`. The newer
checkpoint is the note inside the proof, or --new FILE. Exit 0: verified; 1: rejected (the
reason on stderr); 2: unreadable input.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path


class Rejected(Exception):
    """The signature or the proof does not verify."""


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def read_key(text: str) -> tuple[str, bytes]:
    """(name, raw Ed25519 public key) from `keys show` JSON or a vkey line."""
    text = text.strip()
    if text.startswith("{"):
        data = json.loads(text)
        return str(data["name"]), base64.b64decode(data["public_key"], validate=True)
    name, _, rest = text.partition("+")  # a key name never holds "+"; base64 may
    raw = base64.b64decode(rest.partition("+")[2], validate=True)
    if raw[:1] != b"\x01" or len(raw) != 33:
        raise ValueError("not an Ed25519 vkey")
    return name, raw[1:]


def open_note(note: str, name: str, public: bytes) -> tuple[int, bytes]:
    """(size, root) of a signed note, if `name`'s key signed it (C2SP signed-note)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    body, sep, sigs = note.partition("\n\n")
    if not sep or not sigs.endswith("\n"):
        raise Rejected("not a signed note")
    body += "\n"
    key_id = hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
    key = Ed25519PublicKey.from_public_bytes(public)
    for line in sigs[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014" or parts[1] != name:
            continue
        blob = base64.b64decode(parts[2])
        if blob[:4] != key_id:
            continue
        try:
            key.verify(blob[4:], body.encode())
        except InvalidSignature:
            continue
        lines = body.split("\n")
        if lines[0] != name or not lines[1].isdigit():
            raise Rejected("the signed text is not a checkpoint of this log")
        return int(lines[1]), base64.b64decode(lines[2], validate=True)
    raise Rejected(f"no valid signature of key {name!r} on the checkpoint")


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, proof: list[bytes], first_root: bytes, second_root: bytes
) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def note_of(path: str) -> str:
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        return str(json.loads(text)["note"])
    return text


def check(args: argparse.Namespace) -> list[str]:
    name, public = read_key(Path(args.key).read_text(encoding="utf-8"))
    said: list[str] = []
    if args.consistency:
        given = json.loads(Path(args.consistency).read_text(encoding="utf-8"))
        old_size, old_root = open_note(note_of(args.old), name, public)
        new_note = note_of(args.new) if args.new else given["second_checkpoint"]
        new_size, new_root = open_note(new_note, name, public)
        proof = [bytes.fromhex(h) for h in given["proof"]]
        if (given["first"], given["second"]) != (old_size, new_size):
            raise Rejected("the proof is for other sizes than the two checkpoints")
        if not verify_consistency(old_size, new_size, proof, old_root, new_root):
            raise Rejected(f"the log of {new_size} entries does not extend the kept {old_size}")
        said.append(f"ok: the signed log of {new_size} entries extends the kept {old_size}")
    if args.inclusion:
        given = json.loads(Path(args.inclusion).read_text(encoding="utf-8"))
        size, root = open_note(note_of(args.new) if args.new else given["checkpoint"], name, public)
        proof = [bytes.fromhex(h) for h in given["proof"]]
        if given["tree_size"] != size:
            raise Rejected("the proof is for another size than the checkpoint")
        if not verify_inclusion(bytes.fromhex(given["leaf"]), given["index"], size, proof, root):
            raise Rejected(f"{given['table']} {given['row_id']} is not in the signed log")
        said.append(f"ok: {given['table']} {given['row_id']} is entry {given['index']} of {size}")
    return said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--key", required=True, help="keys show JSON or a vkey line")
    parser.add_argument("--old", help="the checkpoint you kept (signed note)")
    parser.add_argument("--new", help="a newer checkpoint (note or JSON with 'note')")
    parser.add_argument("--consistency", help="consistency proof JSON (needs --old)")
    parser.add_argument("--inclusion", help="inclusion proof JSON")
    args = parser.parse_args(argv)
    if not (args.consistency or args.inclusion) or (args.consistency and not args.old):
        parser.error("give --old with --consistency, and/or --inclusion")
    try:
        said = check(args)
    except Rejected as err:
        print(f"REJECTED: {err}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"cannot read the input: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    print("\n".join(said))
    return 0


if __name__ == "__main__":
    sys.exit(main())
