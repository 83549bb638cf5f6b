"""One way to make what tests need: an office with a person in each role, a new plan, and an
action performed (or attempted) in its own transaction, as a request or the scheduler would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from models.clock import FixedClock
from models.enums import Action, DeadlineKind, OrgType, PlanKind, Role, TriggerKind
from models.plan import Plan
from models.store import PlanWithClocks
from workflow import uow
from workflow.accounts import actor_for, add_organization, add_user
from workflow.actors import Actor
from workflow.commands import Context, NewPlan, create_plan, extend_deadline, perform
from workflow.errors import DomainError

PERSONS = (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN)
TRIGGER = {
    PlanKind.ANNUAL: TriggerKind.ANNUAL_BUDGET,
    PlanKind.SUPPLEMENTARY: TriggerKind.SUPPLEMENTARY_BUDGET,
    PlanKind.AMENDMENT: TriggerKind.AMENDMENT_DECISION,
}


@dataclass
class Office:
    """One organization with a person in each role, plus an auditor and an admin."""

    organization_id: int
    staff: Actor
    committee: Actor
    executive: Actor
    auditor: Actor
    admin: Actor

    def by_role(self, role: Role) -> Actor:
        return {
            Role.STAFF: self.staff,
            Role.COMMITTEE: self.committee,
            Role.EXECUTIVE: self.executive,
            Role.AUDITOR: self.auditor,
            Role.ADMIN: self.admin,
        }[role]


def make_office(engine: Engine, clock: FixedClock, code: str, province: str = "พิจิตร") -> Office:
    """An organization `code` in `province`, with users `<role>-<code>`; its auditor's scope is
    the province."""

    def seed(session: Session) -> Office:
        org = add_organization(
            session,
            code=code,
            name=f"อบต.ทดสอบ {code}",
            org_type=OrgType.SAO,
            district="บึงนาราง",
            province=province,
        )
        actors = {}
        for role in PERSONS:
            user = add_user(
                session,
                clock=clock,
                username=f"{role.value}-{code}",
                role=role,
                organization=org,
                scope_province=province if role is Role.AUDITOR else None,
            )
            actors[role] = actor_for(session, user)
        assert org.id is not None
        return Office(org.id, *(actors[role] for role in PERSONS))

    return uow.run(engine, clock, seed)


def new_plan(
    office: Office,
    kind: PlanKind,
    *,
    amends: int | None = None,
    trigger_on: date = date(2018, 9, 20),
    year: int = 2562,
    trigger_kind: TriggerKind | None = None,
    title: str | None = None,
) -> NewPlan:
    """The input of `create_plan` for a plan of `office` (the kind's usual trigger)."""
    return NewPlan(
        organization_id=office.organization_id,
        kind=kind,
        trigger_kind=trigger_kind or TRIGGER[kind],
        trigger_on=trigger_on,
        title=title or f"แผน {kind.value}",
        fiscal_year_be=year,
        amends_plan_id=amends,
    )


def new_annual(
    office: Office, *, trigger_on: date = date(2018, 9, 20), year: int = 2562
) -> NewPlan:
    """The annual plan of fiscal year `year` (FY 2562 by default: budget of Thu 20 Sep 2018)."""
    title = f"แผนการดำเนินงาน ประจำปี {year}"
    return new_plan(office, PlanKind.ANNUAL, trigger_on=trigger_on, year=year, title=title)


def create(
    engine: Engine, ctx: Context, new: NewPlan, actor: Actor, **kw: object
) -> PlanWithClocks:
    """`create_plan` in its own transaction."""
    return uow.run(engine, ctx.clock, lambda s: create_plan(s, ctx, new=new, actor=actor, **kw))  # type: ignore[arg-type]


def perform_action(
    engine: Engine,
    ctx: Context,
    plan: Plan | PlanWithClocks | int,
    action: Action,
    actor: Actor,
    *,
    expected_version: int | None = None,
    **inputs: object,
) -> PlanWithClocks:
    """`perform` in its own transaction. The expected version is the given plan's version, or
    the stored one when only an id is given; `inputs` are perform's other keywords
    (effective_on, comment, places, …)."""
    plan_id = plan if isinstance(plan, int) else plan.id
    assert plan_id is not None
    version = expected_version
    if version is None and not isinstance(plan, int):
        version = plan.version

    def command(session: Session) -> PlanWithClocks:
        expected = version
        if expected is None:
            stored = session.get(Plan, plan_id)
            expected = stored.version if stored is not None else 1
        return perform(
            session,
            ctx,
            plan_id=plan_id,
            action=action,
            actor=actor,
            expected_version=expected,
            **inputs,  # type: ignore[arg-type]
        )

    return uow.run(engine, ctx.clock, command)


def extend(
    engine: Engine,
    ctx: Context,
    plan: Plan | PlanWithClocks,
    actor: Actor,
    *,
    new_due_on: date,
    reason: str = "เหตุจำเป็น",
    kind: DeadlineKind = DeadlineKind.PREPARATION,
) -> PlanWithClocks:
    """`extend_deadline` of the plan's clock `kind`, at the plan's version, in its own
    transaction."""
    return uow.run(
        engine,
        ctx.clock,
        lambda s: extend_deadline(
            s,
            ctx,
            plan_id=plan.id or 0,
            kind=kind,
            actor=actor,
            expected_version=plan.version,
            new_due_on=new_due_on,
            reason_text=reason,
        ),
    )


def correct(
    engine: Engine,
    ctx: Context,
    plan_id: int,
    actor: Actor,
    *,
    seq: int,
    field: str,
    value: object,
    reason: str = "บันทึกผิดจากเอกสารจริง",
) -> PlanWithClocks:
    """`correct_record` of the plan's record `seq`, at the stored version, in its own
    transaction."""
    from workflow.corrections import correct_record

    def command(session: Session) -> PlanWithClocks:
        stored = session.get(Plan, plan_id)
        return correct_record(
            session,
            ctx,
            plan_id=plan_id,
            seq=seq,
            field=field,
            value=value,
            reason_text=reason,
            actor=actor,
            expected_version=stored.version if stored is not None else 1,
        )

    return uow.run(engine, ctx.clock, command)


def attempt(
    engine: Engine, ctx: Context, plan: Plan | int, action: Action, actor: Actor, **kw: object
) -> str:
    """`perform_action`, answering "ok" or the refusal's error code."""
    try:
        perform_action(engine, ctx, plan, action, actor, **kw)  # type: ignore[arg-type]
    except DomainError as error:
        return error.code
    return "ok"
