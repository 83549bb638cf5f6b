"""People holding two roles (docs/domain.md "Memberships"): the matrix again for a clerk who
sits on the committee and a committee member who is the executive, the acting role each
record names, an ended membership, switching roles against the guards, and `audit verify`."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.account import AccountEvent, AccountEventKind
from models.audit import RefusedAttempt, TransitionRecord
from models.clock import FixedClock, today_bangkok
from models.enums import Action, PlanKind, PlanState, Role
from tests.factories import Office, attempt, create, extend, new_plan, perform_action
from tests.helpers import PLACES, REASON, path_to, reload, tick, walk
from tests.workflow.test_matrix import MOVES, POLICIES, destination, expected, rows
from workflow import uow
from workflow.accounts import actor_for, add_user, find_user
from workflow.actors import Actor
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.memberships import end_membership, grant_membership
from workflow.verify_actors import verify_actors

PAIRS = [(Role.STAFF, Role.COMMITTEE), (Role.COMMITTEE, Role.EXECUTIVE)]
STATES = [s for s in PlanState if path_to(PlanKind.ANNUAL, s, POLICIES["default"]) is not None]


def two_roles(engine: Engine, clock: FixedClock, office: Office, first: Role, second: Role,
              *, as_role: Role | None = None) -> Actor:  # fmt: skip
    """A person of the office holding `first` (their account's role) and `second`."""
    name = f"{first.value}-{second.value}"

    def seed(session: Session) -> Actor:
        from models.organization import Organization

        org = session.get(Organization, office.organization_id)
        try:
            user = find_user(session, name)
        except DomainError:
            user = add_user(session, clock=clock, username=name, role=first, organization=org)
            assert org is not None
            grant_membership(session, actor=office.admin, clock=clock, username=name,
                             role=second, organization_code=org.code)  # fmt: skip
        actor = actor_for(session, user, clock)
        if as_role is not None:
            actor = replace(actor, role=as_role, chosen=True)
        return actor

    return uow.run(engine, clock, seed)


def want(kind: PlanKind, state: PlanState, action: Action, person: tuple[Role, Role]) -> str:
    """What the table says for a person of two roles who names neither: the one role it
    permits for the action decides; both: ambiguous; neither: the account's own role."""
    policy = POLICIES["default"]
    permitted = {r for rule in rows(kind, policy, action) for r in rule.roles}
    fits = [r for r in person if r in permitted]
    if len(fits) > 1:
        return "role_ambiguous"
    return expected(kind, state, action, fits[0] if fits else person[0], policy)


def last_record_role(engine: Engine, plan_id: int) -> str:
    with Session(engine) as s:
        query = select(TransitionRecord).where(TransitionRecord.plan_id == plan_id)
        records = s.exec(query.order_by(TransitionRecord.seq.desc())).all()  # type: ignore[attr-defined]
        return str(records[0].actor_role)


@pytest.mark.parametrize("state", STATES, ids=[s.value for s in STATES])
@pytest.mark.parametrize("pair", PAIRS, ids=["staff+committee", "committee+executive"])
def test_matrix_of_a_person_with_two_roles(engine: Engine, clock: FixedClock,
                                           ctx: Context, office: Office, state: PlanState,
                                           pair: tuple[Role, Role]) -> None:  # fmt: skip
    kind = PlanKind.ANNUAL
    plan = walk(engine, ctx, office, kind, state)
    tick(clock, 31)
    person = two_roles(engine, clock, office, *pair)
    assert not person.chosen and {h.role for h in person.holdings} == set(pair)
    for action in MOVES:
        wanted = want(kind, state, action, pair)
        target = plan
        if wanted == "ok":
            target = walk(engine, ctx, office, kind, state)
            tick(clock, 31)
        assert target.id is not None
        got = attempt(engine, ctx, target, action, person, comment=REASON, places=PLACES)
        assert got == wanted, (action, pair)
        if got == "ok":
            after = reload(engine, target.id)
            assert after.state is destination(kind, state, action, POLICIES["default"])
            acted = last_record_role(engine, target.id)
            assert acted in {r.value for r in pair}
            assert Role(acted) in {r for rule in rows(kind, POLICIES["default"], action)
                                   for r in rule.roles}  # fmt: skip
    with Session(engine) as session:
        assert verify_actors(session) == []


def test_each_role_named_acts_in_that_role_only(engine: Engine, clock: FixedClock,
                                                ctx: Context, office: Office) -> None:  # fmt: skip
    """Naming a role is no way round the table: as staff the clerk cannot approve, as
    committee cannot submit; each refusal and record names the role acted in."""
    plan = create(engine, ctx, new_plan(office, PlanKind.ANNUAL), office.staff)
    clerk = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE, as_role=Role.COMMITTEE)
    assert attempt(engine, ctx, plan, Action.SUBMIT, clerk) == "forbidden"
    staff = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE, as_role=Role.STAFF)
    plan = perform_action(engine, ctx, plan, Action.SUBMIT, staff)
    assert attempt(engine, ctx, plan, Action.APPROVE, staff) == "forbidden"
    with Session(engine) as s:
        refused = s.exec(select(RefusedAttempt).where(RefusedAttempt.plan_id == plan.id)).all()
        assert [(r.action, str(r.actor_role)) for r in refused] == [
            ("submit", "committee"),
            ("approve", "staff"),
        ]
    assert last_record_role(engine, plan.id or 0) == "staff"
    # a role the person does not hold, named anyway (the API refuses it at sign-in, 403
    # role_not_held): in that role the person sees nothing
    executive = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE,
                          as_role=Role.EXECUTIVE)  # fmt: skip
    assert attempt(engine, ctx, plan, Action.RETURN_FOR_REVISION, executive,
                   comment=REASON) == "not_found"  # fmt: skip
    with Session(engine) as session:
        assert verify_actors(session) == []


def test_switching_roles_does_not_pass_a_guard(engine: Engine, clock: FixedClock,
                                               ctx: Context, office: Office) -> None:  # fmt: skip
    """The guards judge the act, not the role: a legal date in the future is refused in
    either role, and the executive's power to extend is not the committee member's."""
    plan = create(engine, ctx, new_plan(office, PlanKind.ANNUAL), office.staff)
    person = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE)
    future = today_bangkok(clock) + timedelta(days=3)
    code = attempt(engine, ctx, plan, Action.SUBMIT, person, effective_on=future)
    assert code == "guard_refused"
    plan = perform_action(engine, ctx, plan, Action.SUBMIT, person)
    code = attempt(engine, ctx, plan, Action.APPROVE, person, effective_on=future)
    assert code == "guard_refused"
    for role in (None, Role.STAFF, Role.COMMITTEE):
        acting = person if role is None else replace(person, role=role, chosen=True)
        with pytest.raises(DomainError) as refused:
            extend(engine, ctx, plan, acting, new_due_on=future + timedelta(days=60))
        assert refused.value.code == "forbidden"


def test_a_membership_that_ended_yesterday_no_longer_authorizes(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    plan = create(engine, ctx, new_plan(office, PlanKind.ANNUAL), office.staff)
    plan = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    person = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE)
    assert attempt(engine, ctx, plan, Action.RETURN_FOR_REVISION, person, comment=REASON) == "ok"
    plan = perform_action(engine, ctx, reload(engine, plan.id or 0), Action.SUBMIT, person)

    def end(session: Session) -> None:
        user = find_user(session, person.username)
        from models.membership import Membership

        row = session.exec(
            select(Membership).where(
                Membership.user_id == user.id, Membership.role == Role.COMMITTEE
            )
        ).one()
        end_membership(session, actor=office.admin, clock=clock, username=user.username,
                       membership_id=row.id or 0, ends_on=today_bangkok(clock))  # fmt: skip

    uow.run(engine, clock, end)
    assert Role.COMMITTEE in {
        h.role for h in two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE).holdings
    }
    tick(clock)  # the membership ended yesterday
    now = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE)
    assert [h.role for h in now.holdings] == [Role.STAFF] and now.chosen
    code = attempt(engine, ctx, reload(engine, plan.id or 0), Action.APPROVE, now)
    assert code == "forbidden"
    with Session(engine) as session:
        assert verify_actors(session) == []  # what was done while it was in force stands


def test_a_record_in_a_role_ended_before_it_is_found(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    """A stale actor (built while the membership was in force) acts the day after it
    ended: the command trusts the actor it is given; `audit verify` does not."""
    plan = create(engine, ctx, new_plan(office, PlanKind.ANNUAL), office.staff)
    plan = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    stale = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE, as_role=Role.COMMITTEE)

    def end(session: Session) -> None:
        from models.membership import Membership

        user = find_user(session, stale.username)
        row = session.exec(
            select(Membership).where(
                Membership.user_id == user.id, Membership.role == Role.COMMITTEE
            )
        ).one()
        end_membership(session, actor=office.admin, clock=clock, username=user.username,
                       membership_id=row.id or 0)  # fmt: skip

    uow.run(engine, clock, end)
    tick(clock)
    perform_action(engine, ctx, plan, Action.RETURN_FOR_REVISION, stale, comment=REASON)
    with Session(engine) as session:
        [found] = verify_actors(session)
    assert (found.table, found.problem, found.field) == (
        "transition_record", "actor_role", "actor_role",
    )  # fmt: skip
    assert "says committee" in found.detail and "held staff then" in found.detail


def test_two_held_roles_both_permitted_are_ambiguous() -> None:
    """No plan action of today's table is open to two people's roles of one kind; a second
    subject kind's may be (the report's), and then the person must name one."""
    from workflow.actors import Holding
    from workflow.errors import RoleAmbiguous

    person = Actor(
        user_id=7, username="clerk", role=Role.STAFF, organization_id=1,
        held=(Holding(Role.STAFF, 1), Holding(Role.COMMITTEE, 1)), chosen=False,
    )  # fmt: skip
    with pytest.raises(RoleAmbiguous) as refused:
        person.acting({Role.STAFF, Role.COMMITTEE}, 1)
    assert refused.value.code == "role_ambiguous"
    assert "committee, staff" in refused.value.reasons[0].en
    assert person.acting({Role.COMMITTEE}, 1).role is Role.COMMITTEE
    assert person.acting({Role.COMMITTEE}, 2) is person  # held for office 1 only
    assert person.acting({Role.EXECUTIVE}, 1) is person  # none fits: the caller refuses


def test_a_membership_edited_by_hand_is_found(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    """The table that authorizes is checked against the events that explain it."""
    two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE)
    with Session(engine) as session:
        assert verify_actors(session) == []
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE membership SET role = 'executive' WHERE role = 'committee' AND user_id = "
            "(SELECT id FROM \"user\" WHERE username = 'staff-committee')"
        )
    with Session(engine) as session:
        [found] = verify_actors(session)
    assert (found.problem, found.table, found.field) == (
        "membership_differs_from_events",
        "membership",
        "role",
    )


def test_migration_0017_moves_each_role_into_one_open_membership(
    engine: Engine, clock: FixedClock, ctx: Context, office: Office
) -> None:
    """A database from before account events and memberships (records made under the single
    role), upgraded: each user holds their role in one open membership from the day their
    account was made, granted by a backfilled event, and the history verifies."""
    from alembic import command

    from models.db import alembic_config, upgrade
    from models.membership import Membership
    from models.organization import User

    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    command.downgrade(alembic_config(engine), "0005")
    upgrade(engine)
    with Session(engine) as session:
        users = session.exec(select(User)).all()
        rows = session.exec(select(Membership)).all()
        assert sorted((m.user_id, Role(m.role), m.organization_id) for m in rows) == sorted(
            (u.id, Role(u.role), u.organization_id) for u in users
        )
        assert all(m.ends_on is None and m.starts_on <= today_bangkok(clock) for m in rows)
        grants = session.exec(
            select(AccountEvent).where(AccountEvent.kind == AccountEventKind.MEMBERSHIP_GRANTED)
        ).all()
        assert len(grants) == len(users) and all(g.details["backfilled"] for g in grants)
        assert verify_actors(session) == []
    # and from now on the memberships authorize: a second role granted works at once
    person = two_roles(engine, clock, office, Role.STAFF, Role.COMMITTEE)
    assert {h.role for h in person.holdings} == {Role.STAFF, Role.COMMITTEE}


def test_a_clerk_on_the_monitoring_committee_drafts_and_approves_a_report(
    engine: Engine, ctx: Context, office: Office
) -> None:
    """The report kind resolves the acting role as plans do: the same person submits the
    report as staff and sends the committee's result as the monitoring committee, and each
    record names the role it was done in."""
    from models.enums import ReportRound
    from models.report import ReportRecord
    from tests.report_factories import FINDINGS, act
    from workflow.report_commands import create_report

    clock: FixedClock = ctx.clock  # type: ignore[assignment]
    person = two_roles(engine, clock, office, Role.STAFF, Role.MONITORING_COMMITTEE)
    report = uow.run(engine, clock, lambda s: create_report(
        s, ctx, organization_id=office.organization_id, fiscal_year_be=2561,
        round_=ReportRound.HALF, actor=person))  # fmt: skip
    report = act(engine, ctx, report, Action.SUBMIT, person)
    report = act(engine, ctx, report, Action.APPROVE, person, **FINDINGS)
    with Session(engine) as s:
        roles = [r.actor_role for r in s.exec(
            select(ReportRecord).where(ReportRecord.report_id == report.id)
            .order_by(ReportRecord.seq)).all()]  # fmt: skip
    assert roles == ["staff", "staff", "monitoring_committee"]
