"""The assessors' checklist (docs/domain.md "The assessors' checklist"): evidence the policy
expects counts as missing (recommended) or failed (required) until it is attached, each item
names the entries it rests on, and the monitoring work can register more items."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from documents.evidence_images import public_copy
from models.blobs import BlobStore
from models.enums import Action, PlanKind, PlanState
from tests import evidence_files as files
from tests.factories import Office
from tests.helpers import PLACES, walk
from tests.workflow.test_evidence import put, record_of
from workflow import checklist as cl
from workflow.commands import Context
from workflow.evidence import Attaching, Upload
from workflow.evidence_rules import Requirement


def statuses(
    engine: Engine,
    ctx: Context,
    office: Office,
    year: int,
    requirement: Requirement = Requirement.RECOMMENDED,
) -> dict[str, tuple[str, list[int]]]:
    with Session(engine) as session:
        found = cl.checklist(
            session,
            office.auditor,
            code="6660603",
            fiscal_year_be=year,
            clock=ctx.clock,
            requirement=requirement,
        )
    (plan,) = found.plans
    return {i["code"]: (i["status"], i["evidence"]) for i in plan["items"]}


def test_items_follow_the_evidence(
    engine: Engine, ctx: Context, office: Office, tmp_path: Path
) -> None:
    how = Attaching(BlobStore(tmp_path / "e"), public_copy)
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTING_COMPLETE)
    assert plan.id is not None
    year = plan.fiscal_year_be
    first = statuses(engine, ctx, office, year)
    assert first["signed_notice"][0] == "missing" and first["minutes"][0] == "missing"
    # walk() goes back a year per annual plan of the process: later ones are announced late
    assert first["announced_in_time"][0] == ("ok" if year == 2562 else "late")
    assert first["posted_in_time"][0] == "missing" and first["kept_30_days"][0] == "missing"
    assert statuses(engine, ctx, office, year, Requirement.REQUIRED)["signed_notice"][0] == "failed"
    notice = put(
        engine,
        ctx,
        office,
        plan.id,
        Upload(files.pdf("ประกาศ"), record_of(engine, plan.id, Action.ANNOUNCE), "signed_notice"),
        how,
    )
    post = record_of(engine, plan.id, Action.POST)
    photos = [
        put(engine, ctx, office, plan.id, Upload(files.photo(i), post, "posting_photo", place), how)
        for i, place in enumerate(PLACES)
    ]
    minutes = put(
        engine,
        ctx,
        office,
        plan.id,
        Upload(files.pdf(), record_of(engine, plan.id, Action.APPROVE), "minutes"),
        how,
    )
    down = put(
        engine,
        ctx,
        office,
        plan.id,
        Upload(files.photo(9), record_of(engine, plan.id, Action.COMPLETE_POSTING), "takedown"),
        how,
    )
    after = statuses(engine, ctx, office, year)
    assert after["signed_notice"] == ("ok", [notice.id])
    assert after["posted_in_time"] == ("ok", [p.id for p in photos])
    assert after["minutes"] == ("ok", [minutes.id])
    assert after["kept_30_days"] == ("ok", [down.id])


def test_monitoring_can_register_an_item(
    engine: Engine, ctx: Context, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.DRAFT)
    monkeypatch.setattr(cl, "ITEMS", list(cl.ITEMS))
    cl.register(cl.Item("report_1", "รายงานผลรอบที่ 1", "first report", lambda f: cl.Line("not_yet")))
    assert statuses(engine, ctx, office, plan.fiscal_year_be)["report_1"] == ("not_yet", [])
