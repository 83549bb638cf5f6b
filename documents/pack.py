"""The audit pack (docs/domain.md "The audit pack"): a BagIt bag (RFC 8493), zipped, of one
plan or of an organization's fiscal year, that any auditor checks offline with the Library of
Congress `bagit` tool (`bagit.py --validate`) and with `localplan audit verify-pack`.

The bag is written straight into the zip (bagit.txt, bag-info.txt, the SHA-256 payload and
tag manifests, `data/…`): no temporary directory and no change of the process's working
directory (which `bagit.make_bag` does, unsafe in a server). `bagit`, the only module that
imports it, validates a pack: every payload file against the manifest, the Payload-Oxum,
nothing missing or extra; then documents/pack_check.py checks what the files say.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlmodel import Session, col, select

from documents.pack_check import problems
from documents.pack_contents import Contents, gather
from models.blobs import BlobStore
from models.clock import Clock
from models.organization import Organization
from models.plan import Plan
from models.visibility import sees
from workflow.actors import Actor
from workflow.errors import NotFound, reason
from workflow.evidence_rules import Requirement
from workflow.scoped_reads import get_visible_plan

ROOT = "audit-pack"
MAX_PACK_BYTES = 4 << 30  # a zip bomb is refused before it is unpacked


@dataclass(frozen=True)
class Made:
    name: str
    data: bytes


def plans_of_plan(session: Session, actor: Actor, plan_id: int) -> list[Plan]:
    get_visible_plan(session, actor, plan_id)  # NotFound unless the actor sees it
    plan = session.get(Plan, plan_id)
    assert plan is not None
    return [plan]


def plans_of_year(session: Session, actor: Actor, code: str, fiscal_year_be: int) -> list[Plan]:
    """The organization's plans of the year, if the actor may see the organization."""
    org = session.exec(select(Organization).where(Organization.code == code)).first()
    if org is None or org.id is None or not sees(session, actor.scope, org.id):
        raise NotFound([reason("organization_not_found", "ไม่พบองค์กร", "no such organization")])
    query = (
        select(Plan)
        .where(Plan.organization_id == org.id, Plan.fiscal_year_be == fiscal_year_be)
        .order_by(col(Plan.id))
    )
    return list(session.exec(query))


def make(
    session: Session,
    *,
    plans: list[Plan],
    store: BlobStore,
    clock: Clock,
    requirement: Requirement = Requirement.RECOMMENDED,
) -> bytes:
    """The zipped bag of `plans` (one organization's); `requirement`: the evidence policy the
    checklist reads."""
    return bag_zip(gather(session, plans=plans, store=store, clock=clock, requirement=requirement))


def bag_zip(contents: Contents) -> bytes:
    payload = {f"data/{name}": data for name, data in sorted(contents.files.items())}
    manifest = "".join(f"{_sha256(d)}  {n}\n" for n, d in payload.items()).encode()
    octets = sum(len(d) for d in payload.values())
    info_lines = [f"{k}: {v}\n" for k, vs in contents.info.items() for v in _values(vs)]
    info_lines.append(f"Payload-Oxum: {octets}.{len(payload)}\n")
    tags = {
        "bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": "".join(info_lines).encode("utf-8"),
        "manifest-sha256.txt": manifest,
    }
    tags["tagmanifest-sha256.txt"] = "".join(
        f"{_sha256(d)}  {n}\n" for n, d in tags.items()
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, data in {**tags, **payload}.items():
            stored = name.endswith((".jpg", ".png", ".pdf"))  # compressed already
            z.writestr(f"{ROOT}/{name}", data, zipfile.ZIP_STORED if stored else None)
    return out.getvalue()


def _values(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_pack(path: Path, key: tuple[str, bytes] | None = None) -> list[str]:
    """Every problem of the pack at `path`: the bag (bagit's validation), then its contents."""
    import bagit  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="localplan-pack-") as tmp:
        try:
            root = _unzip(path, Path(tmp))
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            return [f"not a readable pack: {err}"]
        try:
            bag = bagit.Bag(str(root))
            bag.validate()
        except (bagit.BagError, bagit.BagValidationError) as err:
            return [f"the bag does not validate: {err}"]
        data = root / "data"
        files = {
            p.relative_to(data).as_posix(): p.read_bytes() for p in data.rglob("*") if p.is_file()
        }
        info = {k: _values(v) for k, v in bag.info.items()}
        try:
            return problems(files, info, key)
        except (KeyError, ValueError, TypeError) as err:
            return [f"the pack's files are not as localplan writes them: {err!r}"]


def _unzip(path: Path, into: Path) -> Path:
    with zipfile.ZipFile(path) as z:
        if sum(i.file_size for i in z.infolist()) > MAX_PACK_BYTES:
            raise ValueError("the pack unpacks to more than 4 GiB")
        for info in z.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts:
                raise ValueError(f"unsafe name in the pack: {info.filename}")
        z.extractall(into)
    tops = [p for p in into.iterdir() if p.is_dir()]
    if len(tops) != 1:
        raise ValueError("a pack holds one bag directory")
    return tops[0]
