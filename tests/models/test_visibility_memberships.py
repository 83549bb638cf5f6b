"""The scope of a person holding several roles (docs/domain.md "Memberships"), both engines:
`user_scope` by the memberships in force on a day, every held role's together; an actor's by
its acting role, or every held role's when none is named; the auditors a message reaches."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from models.clock import FixedClock
from models.enums import OrgType, Role
from models.membership import Membership
from models.organization import Organization, User
from models.visibility import Scope, merged, user_scope, visible
from tests.factories import Office
from workflow import uow
from workflow.actors import Actor, Holding
from workflow.memberships import end_membership, grant_membership, in_force

PHICHIT, PHITSANULOK = "พิจิตร", "พิษณุโลก"
AT = datetime(2018, 9, 21, tzinfo=UTC)


def _seed(engine: Engine) -> tuple[dict[str, int], User]:
    with Session(engine, expire_on_commit=False) as s:
        orgs = {}
        for code, province in (("A", PHICHIT), ("B", PHICHIT), ("C", PHITSANULOK)):
            org = Organization(code=code, name=f"อบต.{code}", org_type=OrgType.SAO,
                               district="-", province=province)
            s.add(org)
            s.flush()
            orgs[code] = org.id or 0
        clerk = User(username="clerk", full_name="clerk", role=Role.STAFF,
                     organization_id=orgs["A"], scope_province=PHITSANULOK, created_at=AT)
        s.add(clerk)
        s.flush()
        assert clerk.id is not None
        s.add_all([
            Membership(user_id=clerk.id, role=Role.STAFF, organization_id=orgs["A"],
                       starts_on=date(2018, 10, 1), granted_at=AT),
            Membership(user_id=clerk.id, role=Role.AUDITOR, starts_on=date(2018, 10, 1),
                       ends_on=date(2018, 12, 31), granted_at=AT),
            Membership(user_id=clerk.id, role=Role.EXECUTIVE, organization_id=orgs["B"],
                       starts_on=date(2019, 1, 1), granted_at=AT),
        ])
        s.commit()
    return orgs, clerk


def _seen(engine: Engine, orgs: dict[str, int], scope: Scope) -> set[str]:
    by_id = {v: k for k, v in orgs.items()}
    with Session(engine) as s:
        found = s.exec(select(Organization.id).where(visible(scope, Organization.id))).all()
    return {by_id[i] for i in found if i is not None}


def test_a_users_scope_is_the_memberships_in_force_that_day(engine: Engine) -> None:
    orgs, clerk = _seed(engine)
    with Session(engine) as s:
        def on(day: date | None) -> set[str]:
            return _seen(engine, orgs, user_scope(s, clerk, day))

        assert on(None) == {"A"}  # the primary role alone
        assert on(date(2018, 9, 30)) == set()  # nothing in force yet
        assert on(date(2018, 11, 1)) == {"A", "C"}  # staff of A, auditor of พิษณุโลก
        assert on(date(2019, 2, 1)) == {"A", "B"}  # the audit ended; executive of B


def test_an_actor_sees_by_the_role_acting_or_every_role_held(engine: Engine) -> None:
    orgs, clerk = _seed(engine)
    with Session(engine) as s:
        held = in_force(s.connection(), clerk.id, date(2018, 11, 1))
    assert set(held) == {Holding(Role.STAFF, orgs["A"]), Holding(Role.AUDITOR, None)}
    base = Actor(clerk.id, "clerk", Role.STAFF, orgs["A"], scope_province=PHITSANULOK,
                 held=held, chosen=False)
    as_auditor = Actor(clerk.id, "clerk", Role.AUDITOR, None, scope_province=PHITSANULOK,
                       held=held)
    as_staff = Actor(clerk.id, "clerk", Role.STAFF, orgs["A"], scope_province=PHITSANULOK,
                     held=held)
    assert _seen(engine, orgs, base.scope) == {"A", "C"}
    assert _seen(engine, orgs, as_auditor.scope) == {"C"}
    assert _seen(engine, orgs, as_staff.scope) == {"A"}
    assert base.roles_now == (Role.AUDITOR, Role.STAFF) and as_auditor.roles_now == (
        Role.AUDITOR,)
    assert base.may_be(Role.STAFF, orgs["A"]) and not base.may_be(Role.STAFF, orgs["B"])
    assert not as_auditor.may_be(Role.STAFF) and as_staff.may_be(Role.STAFF, orgs["A"])


def test_merged_scopes_keep_two_own_organizations() -> None:
    two = merged([Scope(organization_id=1), Scope(organization_id=2),
                  Scope(province=PHICHIT, organization_ids=frozenset({5}))])
    assert two == Scope(province=PHICHIT, organization_ids=frozenset({1, 2, 5}))
    assert merged([]) == Scope() and merged([Scope(everything=True), Scope()]).everything


def test_an_auditor_by_membership_is_told_what_the_auditors_are(
    engine: Engine, clock: FixedClock, office: Office
) -> None:
    """A message to the auditors reaches a clerk who audits by a membership, in the account's
    scope (notifications/recipients.py), and stops once the membership ends."""
    from notifications.recipients import resolve

    def told(session: Session) -> set[str]:
        found = resolve(session, organization_id=office.organization_id, audience=["auditor"])
        return {u.username for u in found}

    clerk = office.staff.username
    with Session(engine) as s:
        assert told(s) == {office.auditor.username}
        user = s.exec(select(User).where(User.username == clerk)).one()
        user.scope_province = PHICHIT
        s.add(user)
        s.commit()
    granted = uow.run(engine, clock, lambda s: grant_membership(
        s, actor=office.admin, clock=clock, username=clerk, role=Role.AUDITOR))
    with Session(engine) as s:
        assert told(s) == {office.auditor.username, clerk}
    uow.run(engine, clock, lambda s: end_membership(
        s, actor=office.admin, clock=clock, username=clerk, membership_id=granted.id or 0))
    with Session(engine) as s:
        assert told(s) == {office.auditor.username}
