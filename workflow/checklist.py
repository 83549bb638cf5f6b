"""What assessors ask for, per organization and fiscal year (docs/domain.md "The assessors'
checklist"): for each plan of the year, one line per item, each with its status and the
evidence entries it rests on.

Items are rules in a registry (`ITEMS`, `register`): each takes the plan's facts (its row,
records, evidence, clocks as compliance reports them) and returns a status. The monitoring
work adds its items by registering more rules; nothing here changes. Evidence the policy
expects and nobody attached is `missing` (recommended) or `failed` (required); an item whose
action has not happened yet is `not_yet`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from models.audit import TransitionRecord
from models.clock import Clock
from models.enums import Action, DeadlineKind
from models.evidence import Evidence, EvidenceKind
from models.organization import Organization
from models.visibility import sees
from workflow import queries
from workflow.actors import Actor
from workflow.errors import NotFound, reason
from workflow.evidence_rules import Requirement

OK, MISSING, FAILED, NOT_YET, LATE = "ok", "missing", "failed", "not_yet", "late"


@dataclass(frozen=True)
class Facts:
    compliance: queries.PlanCompliance
    records: Sequence[TransitionRecord]
    evidence: Sequence[Evidence]
    requirement: Requirement

    def record(self, action: Action) -> TransitionRecord | None:
        found = [r for r in self.records if r.action == action.value]
        return found[-1] if found else None

    def of_kind(self, kind: EvidenceKind, record: TransitionRecord | None) -> list[Evidence]:
        if record is None:
            return []
        return [e for e in self.evidence if e.kind is kind and e.record_id == record.id]

    def clock(self, kind: DeadlineKind) -> queries.ClockCompliance | None:
        return next((c for c in self.compliance.clocks if c.kind is kind), None)

    def lacking(self) -> str:
        return FAILED if self.requirement is Requirement.REQUIRED else MISSING


@dataclass(frozen=True)
class Line:
    status: str
    evidence: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Item:
    code: str
    th: str
    en: str
    check: Callable[[Facts], Line]


ITEMS: list[Item] = []


def register(item: Item) -> Item:
    """Add an item to every checklist (the monitoring work's items come this way)."""
    ITEMS.append(item)
    return item


def _evidence_of(kind: EvidenceKind, action: Action) -> Callable[[Facts], Line]:
    def check(facts: Facts) -> Line:
        record = facts.record(action)
        if record is None:
            return Line(NOT_YET)
        found = facts.of_kind(kind, record)
        return Line(OK, tuple(e.id or 0 for e in found)) if found else Line(facts.lacking())

    return check


def _announced_in_time(facts: Facts) -> Line:
    clock = facts.clock(DeadlineKind.PREPARATION)
    if clock is None or clock.status in ("open", "cancelled"):
        return Line(NOT_YET)
    if clock.status == "on_time" and not clock.extended:
        return Line(OK)
    letters = facts.of_kind(EvidenceKind.EXTENSION_LETTER, facts.record(Action.EXTEND_DEADLINE))
    ids = tuple(e.id or 0 for e in letters)
    if clock.status == "on_time":  # within the extended deadline: the letter is the evidence
        return Line(OK, ids) if letters else Line(facts.lacking(), note="extension_letter")
    return Line(LATE, ids)


def _posted_in_time(facts: Facts) -> Line:
    clock = facts.clock(DeadlineKind.POSTING)
    record = facts.record(Action.POST)
    if clock is None or record is None:
        return Line(NOT_YET if clock is None or clock.status == "open" else LATE)
    photos = facts.of_kind(EvidenceKind.POSTING_PHOTO, record)
    ids = tuple(e.id or 0 for e in photos)
    places = set(record.details.get("places") or [])
    unphotographed = places - {e.place for e in photos}
    if clock.status != "on_time":
        return Line(LATE, ids)
    if unphotographed:
        return Line(facts.lacking(), ids, "no photo: " + ", ".join(sorted(unphotographed)))
    return Line(OK, ids)


def _kept_30_days(facts: Facts) -> Line:
    clock = facts.clock(DeadlineKind.MINIMUM_POSTING)
    if clock is None or clock.done_on is None:
        return Line(NOT_YET)
    if clock.done_on < clock.due_on:
        return Line(LATE)  # taken down before the earliest removal date
    record = facts.record(Action.COMPLETE_POSTING)
    takedown = facts.of_kind(EvidenceKind.TAKEDOWN, record)
    if not takedown and record is not None and record.actor_role.value != "system":
        return Line(facts.lacking())  # the scheduler's own completion needs no evidence
    return Line(OK, tuple(e.id or 0 for e in takedown))


for _item in (
    Item("signed_notice", "มีประกาศที่ลงนามแล้ว", "signed notice present",
         _evidence_of(EvidenceKind.SIGNED_NOTICE, Action.ANNOUNCE)),
    Item("announced_in_time", "ประกาศภายในกำหนด หรือขยายเวลาโดยมีหนังสือ",
         "announced within the deadline, or extended with a letter", _announced_in_time),
    Item("posted_in_time", "ปิดประกาศภายใน 15 วัน พร้อมภาพถ่ายทุกสถานที่",
         "posted within 15 days, with a photo of each place", _posted_in_time),
    Item("kept_30_days", "ปิดประกาศไว้ไม่น้อยกว่า 30 วัน", "kept posted 30 days or more",
         _kept_30_days),
    Item("minutes", "มีรายงานการประชุมคณะกรรมการ", "committee minutes present",
         _evidence_of(EvidenceKind.MINUTES, Action.APPROVE)),
):  # fmt: skip
    register(_item)


@dataclass
class Checklist:
    organization_code: str
    organization_name: str
    fiscal_year_be: int
    requirement: Requirement
    plans: list[dict[str, Any]] = field(default_factory=list)


def checklist(
    session: Session, actor: Actor, *, code: str, fiscal_year_be: int, clock: Clock,
    requirement: Requirement = Requirement.RECOMMENDED,
) -> Checklist:
    """The checklist of an organization's year, for anyone who may see the organization."""
    org = session.exec(select(Organization).where(Organization.code == code)).first()
    if org is None or org.id is None or not sees(session, actor.scope, org.id):
        raise NotFound([reason("organization_not_found", "ไม่พบองค์กร", "no such organization")])
    return checklist_of(session, org, fiscal_year_be=fiscal_year_be, clock=clock,
                        requirement=requirement)  # fmt: skip


def checklist_of(
    session: Session, org: Organization, *, fiscal_year_be: int, clock: Clock,
    requirement: Requirement, plan_ids: Collection[int] | None = None,
) -> Checklist:
    """The checklist of the organization's year (callers have checked access: the audit
    pack); `plan_ids`: only those plans."""
    assert org.id is not None
    out = Checklist(org.code, org.name, fiscal_year_be, requirement)
    rows = queries.compliance(
        session, fiscal_year_be=fiscal_year_be, clock=clock, organization_ids=[org.id]
    )
    for row in rows:
        if plan_ids is not None and row.plan_id not in plan_ids:
            continue
        records = session.exec(
            select(TransitionRecord)
            .where(TransitionRecord.plan_id == row.plan_id)
            .order_by(col(TransitionRecord.seq))
        ).all()
        entries = session.exec(select(Evidence).where(Evidence.plan_id == row.plan_id)).all()
        facts = Facts(row, records, entries, requirement)
        out.plans.append({"plan_id": row.plan_id, "kind": row.kind.value,
                          "number": row.number, "state": row.state.value,
                          "items": [_line(item, facts) for item in ITEMS]})  # fmt: skip
    return out


def as_data(found: Checklist) -> dict[str, Any]:
    """The checklist as JSON data (the audit pack's checklist.json)."""
    return {"organization_code": found.organization_code,
            "organization_name": found.organization_name,
            "fiscal_year_be": found.fiscal_year_be, "requirement": found.requirement.value,
            "plans": found.plans}  # fmt: skip


def _line(item: Item, facts: Facts) -> dict[str, Any]:
    line = item.check(facts)
    return {"code": item.code, "th": item.th, "en": item.en, "status": line.status,
            "evidence": list(line.evidence), "note": line.note}  # fmt: skip
