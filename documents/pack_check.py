"""What `localplan audit verify-pack` checks inside a bag whose files are intact (docs/domain.md
"The audit pack"): each plan's records form a valid hash chain ending at the head bag-info
names; each evidence file hashes to its entry, which names a record of the chain; the plan PDF
and the ประกาศ are the files the rows and the announcement record name; the compliance
summary, the checklist and their PDF cover the pack's plans and agree; each row's log leaf
is the hash of the row as packed, included (RFC 9162 proofs) in the signed checkpoint packed.
Pure: it reads only the pack's files (name → bytes)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from workflow import checkpoints, merkle
from workflow.audit import record_hash
from workflow.log import leaf_of

Files = Mapping[str, bytes]


def _load(files: Files, name: str) -> Any:
    return json.loads(files[name].decode("utf-8"))


def problems(
    files: Files, info: Mapping[str, list[str]], key: tuple[str, bytes] | None
) -> list[str]:
    """Every problem found (empty: the pack holds what it says)."""
    found: list[str] = []
    heads = {int(h.split()[1]): h.split()[4] for h in info.get("Chain-Head", [])}
    plan_dirs = sorted({n.split("/")[1] for n in files if n.startswith("plans/")})
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for plan in plan_dirs:
        base = f"plans/{plan}/"
        records = _load(files, base + "records.json")
        found += _chain(int(plan), records, heads.pop(int(plan), None))
        rows.update({("transition_record", r["id"]): r for r in records})
        entries = _load(files, base + "evidence.json")
        found += _evidence(files, records, entries)
        rows.update({("evidence", e["id"]): e for e in entries})
        documents = _load(files, base + "documents.json")
        found += _documents(files, base, records, documents)
        rows.update({("document", d["id"]): d for d in documents})
    found += [f"bag-info names plan {p}, which the pack does not hold" for p in heads]
    found += _summary(files, {int(p) for p in plan_dirs}, rows)
    found += _log(files, rows, key)
    return found


def _summary(
    files: Files, plans: set[int], rows: Mapping[tuple[str, int], Mapping[str, Any]]
) -> list[str]:
    """The compliance summary and the checklist cover the pack's plans, the checklist's
    evidence is the pack's, and the PDF prints the fingerprint of the JSON it was made from."""
    from documents.pack_summary import CHECKLIST, COMPLIANCE, PDF, fingerprint
    from documents.pdf_text import extract_text

    if not plans:
        return []
    missing = [n for n in (COMPLIANCE, CHECKLIST, PDF) if n not in files]
    if missing:
        return [f"{n}: missing" for n in missing]
    found = []
    if {r["plan_id"] for r in _load(files, COMPLIANCE)} != plans:
        found.append(f"{COMPLIANCE}: does not cover the pack's plans")
    listed = [p for year in _load(files, CHECKLIST) for p in year["plans"]]
    if {p["plan_id"] for p in listed} != plans:
        found.append(f"{CHECKLIST}: does not cover the pack's plans")
    for p in listed:
        for item in p["items"]:
            for e in item["evidence"]:
                row = rows.get(("evidence", e))
                if row is None or row["plan_id"] != p["plan_id"]:
                    found.append(f"{CHECKLIST}: plan {p['plan_id']} names evidence {e}, not packed")
    text = "".join(extract_text(files[PDF]).split())
    printed = "".join(fingerprint(files[COMPLIANCE], files[CHECKLIST]).split())
    if printed not in text:
        found.append(f"{PDF}: not made from the packed {COMPLIANCE} and {CHECKLIST}")
    found += [f"{PDF}: plan {p} is not in it" for p in sorted(plans) if f"แผนเลขที่{p}:" not in text]
    return found


def _chain(plan_id: int, records: list[dict[str, Any]], head: str | None) -> list[str]:
    found = []
    prev = "0" * 64
    for n, r in enumerate(records, 1):
        if r["seq"] != n or r["plan_id"] != plan_id:
            found.append(f"plan {plan_id}: record {r['seq']} out of sequence")
        if r["prev_hash"] != prev:
            found.append(f"plan {plan_id}: record {r['seq']} does not link to the one before")
        if _hash(r) != r["hash"]:
            found.append(f"plan {plan_id}: record {r['seq']} does not match its hash")
        prev = r["hash"]
    if head is not None and head != prev:
        found.append(f"plan {plan_id}: the chain ends at {prev[:12]}…, bag-info says {head[:12]}…")
    return found


def _hash(r: Mapping[str, Any]) -> str:
    return record_hash(
        plan_id=r["plan_id"],
        organization_id=r["organization_id"],
        seq=r["seq"],
        action=r["action"],
        from_state=r["from_state"],
        to_state=r["to_state"],
        actor_user_id=r["actor_user_id"],
        actor_username=r["actor_username"],
        actor_role=r["actor_role"],
        effective_on=date.fromisoformat(r["effective_on"]),
        recorded_at=datetime.fromisoformat(r["recorded_at"]),
        comment=r["comment"],
        request_id=r["request_id"],
        details=r["details"],
        prev_hash=r["prev_hash"],
    )


def _evidence(
    files: Files, records: list[dict[str, Any]], entries: list[dict[str, Any]]
) -> list[str]:
    ids = {r["id"] for r in records}
    found = []
    by_hash = {n.split("/")[1].split(".")[0]: files[n] for n in files if n.startswith("evidence/")}
    for e in entries:
        if e["record_id"] not in ids:
            found.append(f"evidence {e['id']}: names record {e['record_id']}, not in its chain")
        for key in ("sha256", "public_sha256"):
            digest = e[key]
            if digest is None:
                continue
            data = by_hash.get(digest)
            if data is None:
                found.append(f"evidence {e['id']}: its file {digest[:12]}… is not in the pack")
            elif hashlib.sha256(data).hexdigest() != digest:
                found.append(f"evidence {e['id']}: its file does not hash to {digest[:12]}…")
    return found


def _documents(
    files: Files, base: str, records: list[dict[str, Any]], documents: list[dict[str, Any]]
) -> list[str]:
    found = []
    named = {
        doc["sha256"]
        for r in records
        for doc in (r["details"].get("documents") or {}).values()
        if isinstance(doc, dict) and "sha256" in doc
    }
    for kind, name in (("plan_pdf", "plan.pdf"), ("notice_pdf", "notice.pdf")):
        rows = [d for d in documents if d["kind"] == kind]
        data = files.get(base + name)
        if not rows:
            continue
        if data is None:
            found.append(f"{base}{name}: missing")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != rows[-1]["sha256"]:
            found.append(f"{base}{name}: does not hash to its document row")
        if digest not in named:
            found.append(f"{base}{name}: no record of the chain names it")
    return found


def _log(
    files: Files, rows: Mapping[tuple[str, int], Mapping[str, Any]], key: tuple[str, bytes] | None
) -> list[str]:
    log = _load(files, "log.json")
    note = files.get("checkpoint.txt")
    found = []
    root: bytes | None = None
    if note is not None:
        text = note.decode("utf-8")
        try:
            if key is not None:
                signed = checkpoints.verify(text, name=key[0], public_key=key[1])
            else:
                signed = checkpoints.parse_body(text.split("\n\n", 1)[0] + "\n")
        except checkpoints.BadCheckpoint as err:
            return [f"checkpoint.txt: {err}"]
        root = signed.root
        if signed.size != log["size"]:
            found.append("log.json is not of the packed checkpoint's size")
    for entry in log["entries"]:
        row = rows.get((entry["table"], entry["row_id"]))
        where = f"log entry {entry['seq']} ({entry['table']} {entry['row_id']})"
        if row is None:
            found.append(f"{where}: its row is not in the pack")
            continue
        if "leaf" not in entry:
            continue  # logged after the checkpoint: nothing signed covers it yet
        leaf = bytes.fromhex(entry["leaf"])
        if leaf_of(entry["table"], row) != leaf:
            found.append(f"{where}: the packed row is not the row the log holds")
        proof = [bytes.fromhex(p) for p in entry["proof"]]
        if root is None or not merkle.verify_inclusion(
            leaf, entry["seq"], log["size"], proof, root
        ):
            found.append(f"{where}: not proven included in the signed checkpoint")
    return found
