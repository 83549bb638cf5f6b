"""Progress of the plan in force (docs/domain.md "Progress"): the sheet read, one item's
progress recorded, a batch recorded all or nothing.

The items are the projects and equipment rows of the plan in force of the plan's organization
and fiscal year (`workflow.in_force.read_in_force`), keyed by their stable ids. Entries are
kept on the annual plan of the plan in force (the first source), whatever announced plan of
the year the request names, so one chain holds the year's follow-up. Each write is one command
in the caller's transaction: it locks the named plan and the annual plan, refuses unless the
actor is staff of the organization (`table.PROGRESS_ROLES`) and the plan is in force
(`table.PROGRESS_STATES`), checks every input (`progress_rules`) before writing anything, and
appends one hash-chained entry per item (an entry of the history log by trigger).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session

from models import store
from models.blobs import BlobStore
from models.clock import today_bangkok
from models.organization import Organization
from models.progress import ProgressEntry
from models.store import table_of
from workflow.actors import Actor
from workflow.command_base import MAX_ID, Context, not_found, sees
from workflow.content_model import Problem
from workflow.errors import Conflict, Forbidden, NotFound, reason
from workflow.evidence_rules import DEFAULT_MAX_BYTES
from workflow.in_force import read_in_force
from workflow.progress_checks import (
    after_announced,
    announced_through,
    check_seen,
    in_fiscal_year,
)
from workflow.progress_files import PublicCopy, store_files
from workflow.progress_rules import (
    GENESIS,
    FieldProblem,
    ItemKind,
    Progress,
    ProgressInvalid,
    check_progress,
    entry_hash,
    later_than,
    warnings,
)
from workflow.progress_values import (
    BatchInvalid,
    File,
    Item,
    ItemProgressInvalid,
    Line,
    Recorded,
    Sheet,
)
from workflow.table import PROGRESS_ROLES, PROGRESS_STATES, STATE_LABELS

ENTRY = table_of(ProgressEntry)
LATEST = sa.Table(
    "progress_latest", sa.MetaData(), *(sa.Column(c.name, c.type) for c in ENTRY.columns)
)
SOURCE_MAX = 200
RECORD_ACTION = "record_progress"
__all__ = [
    "BatchInvalid",
    "File",
    "Item",
    "ItemProgressInvalid",
    "Line",
    "Recorded",
    "Sheet",
    "check_batch",
    "history",
    "latest_of",
    "read_sheet",
    "record",
    "record_batch",
]


# --- reads ---------------------------------------------------------------------------------


def _plan(session: Session, plan_id: int, actor: Actor, *, lock: bool) -> store.PlanRow:
    conn = session.connection()
    if not 0 < plan_id <= MAX_ID:
        raise NotFound([not_found()])
    plan = store.PLANS.lock(conn, plan_id) if lock else store.PLANS.row(conn, plan_id)
    if plan is None or not sees(actor, session, plan.organization_id):
        raise NotFound([not_found()])
    return plan


def _not_in_force(state: Any) -> Conflict:
    th = STATE_LABELS[state][0]
    return Conflict(
        [
            reason(
                "progress_plan_not_in_force",
                f"บันทึกความก้าวหน้าได้เฉพาะแผนที่ประกาศใช้แล้ว (แผนนี้อยู่ในสถานะ{th})",
                f"progress is kept only for a plan in force (this plan is {state.value})",
            )
        ]
    )


def _sheet(session: Session, plan: store.PlanRow, actor: Actor) -> Sheet:
    if plan.state not in PROGRESS_STATES:
        raise _not_in_force(plan.state)
    org = session.get(Organization, plan.organization_id)
    assert org is not None
    _, in_force = read_in_force(
        session, organization_code=org.code, fiscal_year_be=plan.fiscal_year_be, actor=actor
    )
    chain = in_force.sources[0].plan_id
    latest = latest_of(session.connection(), chain)
    content = in_force.content
    names = {s.id: s.name for s in content.strategies}
    items = [
        Item(
            ItemKind.PROJECT,
            p.id,
            p.name,
            p.budget_baht,
            names.get(p.strategy_id, ""),
            latest.get(p.id),
        )
        for p in content.projects
    ] + [
        Item(
            ItemKind.EQUIPMENT,
            e.id,
            f"{e.type}: {e.target}",
            e.budget_baht,
            e.programme,
            latest.get(e.id),
        )
        for e in content.equipment
    ]
    through = announced_through(session.connection(), plan.organization_id, plan.fiscal_year_be)
    return Sheet(plan.id, chain, plan.organization_id, plan.fiscal_year_be, plan.state.value,
                 tuple(items), through)  # fmt: skip


def latest_of(conn: Connection, chain_plan_id: int) -> dict[str, dict[str, Any]]:
    """Each item's latest entry on the chain (the `progress_latest` view)."""
    rows = conn.execute(sa.select(LATEST).where(LATEST.c.plan_id == chain_plan_id))
    return {row.item_id: dict(row._mapping) for row in rows}


def read_sheet(session: Session, *, plan_id: int, actor: Actor) -> Sheet:
    """The progress sheet, for anyone who may see the plan; 409 unless the plan is in force."""
    return _sheet(session, _plan(session, plan_id, actor, lock=False), actor)


def history(session: Session, *, plan_id: int, actor: Actor, item_id: str) -> list[dict[str, Any]]:
    """Every entry of one item, oldest first."""
    sheet = read_sheet(session, plan_id=plan_id, actor=actor)
    query = (
        sa.select(ENTRY)
        .where(ENTRY.c.plan_id == sheet.chain_plan_id, ENTRY.c.item_id == item_id)
        .order_by(ENTRY.c.id)
    )
    return [dict(r._mapping) for r in session.connection().execute(query)]


# --- writes --------------------------------------------------------------------------------


def _open(session: Session, plan_id: int, actor: Actor) -> Sheet:
    """The sheet with the named plan and the chain's plan locked, if the actor may write."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    plan = _plan(session, plan_id, actor, lock=True)
    held = actor.holds(actor.role, plan.organization_id)  # a membership in force
    held = held and actor.organization_id == plan.organization_id
    if actor.role not in PROGRESS_ROLES or not held:
        raise Forbidden(
            [
                reason(
                    "progress_not_recorder",
                    "เฉพาะเจ้าหน้าที่ขององค์กรเจ้าของแผนจึงบันทึกความก้าวหน้าได้",
                    "only staff of the plan's organization record progress",
                )
            ]
        )
    sheet = _sheet(session, plan, actor)
    if sheet.chain_plan_id != plan.id:
        store.PLANS.lock(session.connection(), sheet.chain_plan_id)
        sheet = _sheet(session, plan, actor)  # read again under the chain's lock
    return sheet


def _unknown_item(item_id: str) -> FieldProblem:
    return FieldProblem(
        "item_id",
        reason(
            "progress_item_not_found",
            "ไม่พบโครงการหรือครุภัณฑ์นี้ในแผนที่ประกาศใช้",
            f"no project or equipment row {item_id[:64]} in the plan in force",
        ),
    )


def _check(
    sheet: Sheet, item_id: str, data: Mapping[str, Any], today: Any
) -> tuple[Item, Progress]:
    item = sheet.item(item_id)
    if item is None:
        raise ItemProgressInvalid([_unknown_item(item_id)])
    try:
        progress = check_progress(data, today=today)
    except ProgressInvalid as err:
        raise ItemProgressInvalid(err.problems) from None
    previous = None if item.latest is None else item.latest["as_of"]
    problems = (
        in_fiscal_year(progress.as_of, sheet.fiscal_year_be)
        or after_announced(progress.as_of, sheet.announced_through)
        or later_than(progress, previous)
    )
    if problems:
        raise ItemProgressInvalid(problems)
    return item, progress


def _head(conn: Connection, chain_plan_id: int) -> tuple[int, str]:
    last = conn.execute(
        sa.select(ENTRY.c.seq, ENTRY.c.hash)
        .where(ENTRY.c.plan_id == chain_plan_id)
        .order_by(ENTRY.c.seq.desc())
        .limit(1)
    ).first()
    return (0, GENESIS) if last is None else (int(last.seq), str(last.hash))


def _append(
    conn: Connection,
    ctx: Context,
    sheet: Sheet,
    item: Item,
    progress: Progress,
    *,
    actor: Actor,
    files: list[dict[str, Any]],
    source: str | None,
) -> dict[str, Any]:
    seq, prev = _head(conn, sheet.chain_plan_id)
    values: dict[str, Any] = {
        "plan_id": sheet.chain_plan_id,
        "seq": seq + 1,
        "item_kind": item.kind,
        "item_id": item.id,
        "status": progress.status,
        "committed_baht": progress.committed_baht,
        "disbursed_baht": progress.disbursed_baht,
        "started_on": progress.started_on,
        "finished_on": progress.finished_on,
        "as_of": progress.as_of,
        "note": progress.note,
        "files": files,
        "source": source,
        "actor_user_id": actor.user_id,
        "actor_username": actor.username,
        "actor_role": actor.role,
        "recorded_at": ctx.clock.now(),
        "prev_hash": prev,
    }
    values["hash"] = entry_hash(values)
    values["id"] = conn.execute(sa.insert(ENTRY).values(values).returning(ENTRY.c.id)).scalar_one()
    return values


def record(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    item_id: str,
    data: Mapping[str, Any],
    files: Sequence[File] = (),
    blobs: BlobStore | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    expected_entry: int | None = None,
    public_copy: PublicCopy | None = None,
) -> Recorded:
    """Record one item's progress (docs/domain.md "Progress"), with the files it carries;
    409 `stale_version` unless `expected_entry` (when given) is the item's latest seq."""
    actor = actor.acting(PROGRESS_ROLES)  # docs/domain.md "Memberships"
    sheet = _open(session, plan_id, actor)
    item, progress = _check(sheet, item_id, data, today_bangkok(ctx.clock))
    check_seen(item.latest, expected_entry)
    kept = store_files(files, blobs, max_bytes, public_copy)
    entry = _append(
        session.connection(), ctx, sheet, item, progress, actor=actor, files=kept, source=None
    )
    return Recorded(entry, tuple(warnings(progress, item.planned_baht)))


def check_batch(
    sheet: Sheet, lines: Sequence[Line], today: Any
) -> tuple[list[tuple[Item, Progress]], list[Problem]]:
    """Every line checked against the sheet: what would be written, and every problem."""
    checked: list[tuple[Item, Progress]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for line in lines:
        try:
            if line.item_id in seen:
                raise ItemProgressInvalid(
                    [
                        FieldProblem(
                            "item_id",
                            reason(
                                "progress_item_twice",
                                "รายการนี้อยู่ในไฟล์มากกว่าหนึ่งแถว",
                                "the item is on more than one row",
                            ),
                        )
                    ]
                )
            seen.add(line.item_id)
            checked.append(_check(sheet, line.item_id, line.data, today))
        except ItemProgressInvalid as err:
            problems += [
                Problem(
                    line.sheet,
                    line.row,
                    line.columns.get(p.field, p.field),
                    p.reason.code,
                    p.reason.th,
                    p.reason.en,
                )
                for p in err.problems
            ]
    return checked, problems


def record_batch(
    session: Session,
    ctx: Context,
    *,
    plan_id: int,
    actor: Actor,
    lines: Sequence[Line],
    source: str | None,
) -> list[Recorded]:
    """Record every line, all or nothing: `BatchInvalid` with every problem, nothing written.
    A line whose progress equals the item's latest entry writes nothing (an export imported
    back unchanged adds no entry)."""
    actor = actor.acting(PROGRESS_ROLES)  # docs/domain.md "Memberships"
    sheet = _open(session, plan_id, actor)
    checked, problems = check_batch(sheet, lines, today_bangkok(ctx.clock))
    if problems:
        raise BatchInvalid(problems)
    text = None if source is None else source[:SOURCE_MAX]
    conn = session.connection()
    return [
        Recorded(
            _append(conn, ctx, sheet, item, progress, actor=actor, files=[], source=text),
            tuple(warnings(progress, item.planned_baht)),
        )
        for item, progress in checked
        if not same_as_latest(item, progress)
    ]


def same_as_latest(item: Item, progress: Progress) -> bool:
    latest = item.latest
    if latest is None:
        return False
    return all(
        latest[k] == getattr(progress, k)
        for k in (
            "status",
            "committed_baht",
            "disbursed_baht",
            "started_on",
            "finished_on",
            "as_of",
            "note",
        )
    )
