"""Progress of the plan in force (docs/domain.md "Progress"): the rules, one item recorded,
a batch all or nothing, who may, and `audit verify` finding a hand edit, on both engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.blobs import BlobStore
from models.enums import PlanKind
from tests.factories import Office, create, make_office, new_plan
from tests.progress_factories import plan_in_force, record
from tests.workflow.verify_world import found, tamper
from workflow import input_rules as rules
from workflow import progress, uow
from workflow.as_of_rules import as_of_problem
from workflow.audit import verify
from workflow.commands import Context
from workflow.errors import Conflict, Forbidden, NotFound
from workflow.progress_rules import ProgressInvalid, ProgressStatus, check_progress

TODAY = date(2018, 9, 21)
NOT_STARTED = {"status": "not_started"}


def codes(data: dict[str, object]) -> set[tuple[str, str]]:
    with pytest.raises(ProgressInvalid) as err:
        check_progress(data, today=TODAY)
    return {(p.field, p.reason.code) for p in err.value.problems}


def test_the_rules_read_thai_labels_be_dates_and_amounts_with_commas() -> None:
    got = check_progress(
        {"status": "แล้วเสร็จ", "committed_baht": "1,250,000.50", "disbursed_baht": "1000000",
         "started_on": "1/7/2561", "finished_on": "๒๐/๐๙/๒๕๖๑", "as_of": "21/09/2561",
         "note": "ตรวจรับงานแล้ว"},
        today=TODAY,
    )  # fmt: skip
    assert got.status is ProgressStatus.COMPLETED
    assert got.committed_baht == Decimal("1250000.50") and got.disbursed_baht == Decimal("1e6")
    assert (got.started_on, got.finished_on, got.as_of) == (
        date(2018, 7, 1),
        date(2018, 9, 20),
        TODAY,
    )
    assert check_progress({"status": "not_started"}, today=TODAY).as_of == TODAY


def test_not_after_today_is_one_rule_with_one_code_for_entries_and_figures() -> None:
    entry = codes({"status": "not_started", "as_of": "22/9/2561"})  # TODAY + 1 day
    figures = as_of_problem(date(2018, 9, 22), 2561, TODAY)
    assert figures is not None
    assert entry == {("as_of", figures.code)} == {("as_of", "progress_as_of_future")}
    assert (figures.th, figures.en) == ("วันที่ข้อมูลต้องไม่เลยวันนี้",
                                        "the as-of date is not after today")
    assert as_of_problem(TODAY, 2561, TODAY) is None


def test_every_problem_is_named_at_once() -> None:
    assert codes({"status": "เสร็จ", "committed_baht": "-1", "as_of": "1/1/2018"}) == {
        ("status", "progress_status"), ("committed_baht", "money_out_of_range"),
        ("as_of", "date_year_not_be"),
    }  # fmt: skip
    assert codes({"status": "completed", "committed_baht": "10", "disbursed_baht": "20",
                  "started_on": "22/9/2561", "as_of": "23/9/2561"}) == {
        ("as_of", "progress_as_of_future"),
        ("disbursed_baht", "progress_disbursed_over_committed"),
        ("finished_on", "progress_completed_without_finish"),
    }  # fmt: skip
    assert codes({"status": "in_progress", "finished_on": "1/9/2561"}) == {
        ("finished_on", "progress_finished_not_completed"),
        ("started_on", "progress_started_required"),
    }
    assert codes({"status": "completed", "started_on": "10/9/2561", "finished_on": "9/9/2561",
                  "as_of": "5/9/2561"}) == {
        ("started_on", "progress_started_after_as_of"),
        ("finished_on", "progress_finished_after_as_of"),
        ("finished_on", "progress_finished_before_started"),
    }  # fmt: skip
    assert codes({"status": "not_started", "started_on": "1/9/2561"}) == {
        ("started_on", "progress_not_started_with_date")
    }


@pytest.fixture
def in_force(engine: Engine, ctx: Context, office: Office) -> tuple[int, list[str]]:
    plan_id, content = plan_in_force(engine, ctx, office)
    return plan_id, [p.id for p in content.projects] + [e.id for e in content.equipment]


def test_progress_is_recorded_chained_and_read_as_the_latest(
    engine: Engine, ctx: Context, office: Office, in_force: tuple[int, list[str]]
) -> None:
    plan_id, ids = in_force
    first = record(engine, ctx, plan_id, office.staff, ids[0], status="in_progress",
                   committed_baht="50000", disbursed_baht="0", started_on="1/9/2561")  # fmt: skip
    again = record(engine, ctx, plan_id, office.staff, ids[0], status="completed",
                   committed_baht="101000", disbursed_baht="101000", started_on="1/9/2561",
                   finished_on="20/9/2561")  # fmt: skip
    over = record(engine, ctx, plan_id, office.staff, ids[-1], status="in_progress",
                  committed_baht="50000", started_on="1/9/2561")  # fmt: skip
    assert first.warnings == () and again.entry["prev_hash"] == first.entry["hash"]
    assert [w.code for w in over.warnings] == ["progress_over_planned_budget"]
    with Session(engine) as s:
        sheet = progress.read_sheet(s, plan_id=plan_id, actor=office.auditor)
        assert [i.kind.value for i in sheet.items] == ["project"] * 4 + ["equipment"]
        latest = sheet.item(ids[0])
        assert latest is not None and latest.latest is not None
        assert latest.latest["status"] is ProgressStatus.COMPLETED
        assert latest.latest["disbursed_baht"] == Decimal("101000.00")
        assert len(progress.history(s, plan_id=plan_id, actor=office.staff, item_id=ids[0])) == 2
    assert found(engine) == set()


def test_who_may_record_and_on_which_plans(
    engine: Engine, ctx: Context, office: Office, in_force: tuple[int, list[str]]
) -> None:
    plan_id, ids = in_force
    with pytest.raises(Forbidden):
        record(engine, ctx, plan_id, office.committee, ids[0], status="not_started")
    other = make_office(engine, ctx.clock, "6660604")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        record(engine, ctx, plan_id, other.staff, ids[0], status="not_started")
    draft = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY), office.staff)
    with pytest.raises(Conflict) as err:
        record(engine, ctx, draft.id, office.staff, ids[0], status="not_started")
    assert err.value.reasons[0].code == "progress_plan_not_in_force"
    with pytest.raises(progress.ItemProgressInvalid) as bad:
        record(engine, ctx, plan_id, office.staff, "0" * 32, status="not_started")
    assert bad.value.reasons[0].code == "progress_item_not_found"
    record(engine, ctx, plan_id, office.staff, ids[0], status="not_started", as_of="20/9/2561")
    with pytest.raises(progress.ItemProgressInvalid) as back:
        record(engine, ctx, plan_id, office.staff, ids[0], status="not_started", as_of="19/9/2561")
    assert back.value.reasons[0].code == "progress_as_of_before_latest"


def test_a_batch_is_all_or_nothing(
    engine: Engine, ctx: Context, office: Office, in_force: tuple[int, list[str]]
) -> None:
    plan_id, ids = in_force
    good = progress.Line(ids[0], {"status": "cancelled", "note": "ยกเลิกตามมติสภา"}, "s", 3)
    bad = progress.Line(ids[1], {"status": "completed"}, "s", 4, {"finished_on": "G"})

    def batch(lines: list[progress.Line]) -> list[progress.Recorded]:
        return uow.run(engine, ctx.clock, lambda s: progress.record_batch(
            s, ctx, plan_id=plan_id, actor=office.staff, lines=lines, source="x"))  # fmt: skip

    with pytest.raises(progress.BatchInvalid) as err:
        batch([good, bad, good])
    where = {(p.row, p.column, p.code) for p in err.value.problems}
    assert where == {(4, "G", "progress_completed_without_finish"),
                     (4, "started_on", "progress_started_required"),
                     (3, "item_id", "progress_item_twice")}  # fmt: skip
    with Session(engine) as s:
        assert all(i.latest is None for i in progress.read_sheet(
            s, plan_id=plan_id, actor=office.staff).items)  # fmt: skip
    assert len(batch([good])) == 1
    assert batch([good]) == []  # the same again writes nothing


def test_verify_finds_a_hand_edit_and_a_removed_entry(
    engine: Engine, ctx: Context, office: Office, in_force: tuple[int, list[str]]
) -> None:
    plan_id, ids = in_force
    one = record(engine, ctx, plan_id, office.staff, ids[0], status="not_started").entry["id"]
    two = record(engine, ctx, plan_id, office.staff, ids[1], status="not_started").entry["id"]
    three = record(engine, ctx, plan_id, office.staff, ids[2], status="not_started").entry["id"]
    tamper(engine, f"UPDATE progress_entry SET disbursed_baht = 100 WHERE id = {one}",
           f"DELETE FROM progress_entry WHERE id = {two}", tables=("progress_entry",))  # fmt: skip
    got = {f for f in found(engine) if f[1] == "progress_entry"}
    assert got == {
        ("hash_mismatch", "progress_entry", one, "hash"),
        ("sequence_gap", "progress_entry", three, "seq"),
        ("chain_broken", "progress_entry", three, "prev_hash"),
    }


def test_files_are_kept_in_the_evidence_store_and_verified(
    engine: Engine, ctx: Context, office: Office, in_force: tuple[int, list[str]], tmp_path: Path
) -> None:
    plan_id, ids = in_force
    blobs = BlobStore(tmp_path)
    photo = b"\xff\xd8\xff\xe0" + b"site photo" * 10

    def carry(data: bytes) -> progress.Recorded:
        return uow.run(engine, ctx.clock, lambda s: progress.record(
            s, ctx, plan_id=plan_id, actor=office.staff, item_id=ids[0], data=NOT_STARTED,
            files=[progress.File(data, "f")], blobs=blobs))  # fmt: skip

    done = carry(photo)
    kept = done.entry["files"][0]
    assert kept["media_type"] == "image/jpeg" and blobs.get(kept["sha256"]) == photo
    with pytest.raises(rules.InvalidInput) as refused:
        carry(b"GIF89a")
    assert refused.value.reasons[0].code == "evidence_type"
    with Session(engine) as s:
        assert verify(s, store=blobs).breaks == []
    blobs.path_of(kept["sha256"]).unlink()
    with Session(engine) as s:
        found_now = {(b.problem, b.table, b.field) for b in verify(s, store=blobs).breaks}
    assert found_now == {("file_missing", "progress_entry", "files")}
