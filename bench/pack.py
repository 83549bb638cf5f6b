"""`pack`: the audit pack of a fiscal year whose plan carries 20 phone photos (about 1 MB
each, with EXIF), against zipping the same evidence files with `zipfile` in the same run;
and verify-pack (bagit's validation and the checks inside) of that pack."""

from __future__ import annotations

import io
import random
import statistics
import tempfile
import time
import zipfile
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bench.harness import versions
from documents.evidence_images import public_copy
from documents.pack import make, plans_of_year, verify_pack
from models.audit import TransitionRecord
from models.blobs import BlobStore
from models.clock import FixedClock, bangkok_noon
from models.db import make_engine, upgrade
from models.enums import Action, OrgType, PlanKind, Role, TriggerKind
from models.store import PlanWithClocks
from workflow import uow
from workflow.accounts import actor_for, add_organization, add_user
from workflow.actors import Actor
from workflow.commands import Context, NewPlan, create_plan, perform
from workflow.evidence import Attaching, Upload, attach
from workflow.policy import WorkflowPolicy

PLACES = tuple(f"ที่อ่านประกาศ หมู่ {i}" for i in range(1, 21))


def photo(seed: int, size: tuple[int, int] = (1024, 768)) -> bytes:
    from PIL import Image

    rnd = random.Random(seed)
    image = Image.frombytes("RGB", size, rnd.randbytes(size[0] * size[1] * 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _people(engine: Engine, clock: FixedClock) -> dict[Role, Actor]:
    def seed(s: Session) -> dict[Role, Actor]:
        org = add_organization(
            s,
            code="6660603",
            name="อบต.แหลมรัง",
            org_type=OrgType.SAO,
            district="บึงนาราง",
            province="พิจิตร",
        )
        found = {}
        for role in (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR):
            user = add_user(
                s,
                clock=clock,
                username=f"{role.value}-b",
                role=role,
                organization=org,
                scope_province="พิจิตร" if role is Role.AUDITOR else None,
            )
            found[role] = actor_for(s, user)
        return found

    return uow.run(engine, clock, seed)


def _year(root: Path, photos: int) -> tuple[Engine, BlobStore, FixedClock, Actor]:
    engine = make_engine(f"sqlite:///{root / 'bench.db'}")
    upgrade(engine)
    clock = FixedClock(bangkok_noon(date(2018, 9, 21)))
    ctx = Context(WorkflowPolicy(), clock)
    who = _people(engine, clock)
    new = NewPlan(
        1,
        PlanKind.ANNUAL,
        TriggerKind.ANNUAL_BUDGET,
        date(2018, 9, 20),
        "แผนการดำเนินงาน ประจำปี 2562",
        2562,
    )
    plan = uow.run(engine, clock, lambda s: create_plan(s, ctx, new=new, actor=who[Role.STAFF]))
    steps = (
        (Action.SUBMIT, Role.STAFF),
        (Action.APPROVE, Role.COMMITTEE),
        (Action.ANNOUNCE, Role.EXECUTIVE),
        (Action.POST, Role.STAFF),
    )
    for action, role in steps:
        clock.advance(timedelta(days=1))
        plan = uow.run(
            engine,
            clock,
            partial(
                _act, ctx=ctx, plan_id=plan.id, action=action, actor=who[role], version=plan.version
            ),
        )
    store = BlobStore(root / "evidence")
    how = Attaching(store, public_copy)
    with Session(engine) as s:
        post = s.exec(
            select(TransitionRecord)
            .where(TransitionRecord.action == "post")
            .order_by(col(TransitionRecord.id).desc())
        ).first()
    assert post is not None and post.id is not None
    for i in range(photos):
        upload = Upload(photo(i), post.id, "posting_photo", PLACES[i % len(PLACES)])
        uow.run(
            engine,
            clock,
            partial(
                attach, ctx=ctx, plan_id=plan.id, actor=who[Role.STAFF], upload=upload, how=how
            ),
        )
    return engine, store, clock, who[Role.AUDITOR]


def _act(
    s: Session, *, ctx: Context, plan_id: int, action: Action, actor: Actor, version: int
) -> PlanWithClocks:
    places = PLACES if action is Action.POST else ()
    return perform(
        s, ctx, plan_id=plan_id, action=action, actor=actor, expected_version=version, places=places
    )


def run(*, rounds: int, photos: int = 20) -> str:
    with tempfile.TemporaryDirectory(prefix="localplan-bench-pack-") as tmp:
        root = Path(tmp)
        engine, store, clock, auditor = _year(root, photos)
        names = list(store.names())
        packed, zipped, stored, checked = [], [], [], []
        size_pack = size_zip = size_stored = 0
        for _ in range(rounds):
            start = time.perf_counter()
            with Session(engine) as s:
                data = make(
                    s, plans=plans_of_year(s, auditor, "6660603", 2562), store=store, clock=clock
                )
            packed.append(time.perf_counter() - start)
            size_pack = len(data)
            start = time.perf_counter()
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for name in names:
                    z.writestr(name, store.path_of(name).read_bytes())
            zipped.append(time.perf_counter() - start)
            size_zip = len(out.getvalue())
            start = time.perf_counter()
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
                for name in names:
                    z.writestr(name, store.path_of(name).read_bytes())
            stored.append(time.perf_counter() - start)
            size_stored = len(out.getvalue())
            (root / "pack.zip").write_bytes(data)
            start = time.perf_counter()
            assert verify_pack(root / "pack.zip") == []
            checked.append(time.perf_counter() - start)
        engine.dispose()
    base = statistics.median(zipped)
    rows = [
        ("zipfile of the same files, deflated as `zip -r` (baseline)", zipped, size_zip),
        ("zipfile of the same files, stored", stored, size_stored),
        ("audit pack (`make`)", packed, size_pack),
        ("verify-pack (bagit validate + chains, proofs)", checked, size_pack),
    ]
    lines = [
        f"### pack: a year's audit pack with {photos} photos ({len(names)} files: originals "
        "and public copies)",
        "",
        f"{versions('bagit', 'Pillow', 'SQLAlchemy')}; SQLite; {rounds} round(s).",
        "",
        "| what | median s | min–max s | bytes | ratio to baseline |",
        "|---|---|---|---|---|",
    ]
    for name, seconds, size in rows:
        lines.append(
            f"| {name} | {statistics.median(seconds):.3f} | {min(seconds):.3f}–"
            f"{max(seconds):.3f} | {size:,} | {statistics.median(seconds) / base:.2f} |"
        )
    lines += ["", "Target: the pack within 3× of zipping its files; verify-pack likewise.", ""]
    return "\n".join(lines)


def full() -> str:
    return run(rounds=5)


def quick() -> str:
    return run(rounds=1, photos=4)
