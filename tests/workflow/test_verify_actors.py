"""The actor check: every history row's actor existed and held that role then (on both
engines, with the real commands; hand edits as an attacker who can write the database)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.account import AccountEvent
from models.clock import FixedClock
from models.enums import Action, PlanKind, PlanState, Role
from models.migrations.append_only import drop_guards
from tests.factories import Office, create, new_plan, perform_action
from tests.helpers import inputs_for, tick, walk
from workflow import uow
from workflow.account_status import change_role
from workflow.accounts import actor_for, find_user
from workflow.actors import Actor
from workflow.commands import Context
from workflow.log import verify_log
from workflow.table import RULES, Rule
from workflow.verify_actors import ActorFinding, verify_actors

SQL_TIME = "'2018-09-21 05:00:00.000000'"


def findings(engine: Engine) -> list[ActorFinding]:
    with Session(engine) as session:
        return verify_actors(session)


def summary(engine: Engine) -> set[tuple[str, str | None, str]]:
    return {(f.problem, f.table, f.field) for f in findings(engine)}


def become(engine: Engine, clock: FixedClock, office: Office, who: Actor, role: Role) -> Actor:
    """An admin gives `who` another role in the same organization; their new actor."""

    def command(session: Session) -> Actor:
        user = change_role(
            session,
            actor=office.admin,
            clock=clock,
            username=who.username,
            role=role,
            organization_code="6660603",
        )
        return actor_for(session, user)

    return uow.run(engine, clock, command)


def committee_move(state: PlanState) -> Rule:
    return next(r for r in RULES if r.source is state and Role.COMMITTEE in r.roles)


def promote_mid_plan(engine: Engine, ctx: Context, clock: FixedClock, office: Office) -> None:
    """Staff creates and submits a plan, becomes committee at that instant, and acts as
    committee the next day: a legitimate role change."""
    plan = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY), office.staff)
    plan = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    promoted = become(engine, clock, office, office.staff, Role.COMMITTEE)
    rule = committee_move(PlanState.COMMITTEE_REVIEW)
    tick(clock)
    perform_action(engine, ctx, plan, rule.action, promoted, **inputs_for(rule))  # type: ignore[arg-type]


def test_a_clean_history_and_a_legitimate_role_change_pass(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTING_COMPLETE)  # the system acts
    assert findings(engine) == []
    promote_mid_plan(engine, ctx, clock, office)
    assert findings(engine) == []


def test_an_actor_who_did_not_hold_the_role_then_is_found(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    plan = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY), office.staff)
    become(engine, clock, office, office.staff, Role.COMMITTEE)
    # The stale actor still says staff: the command trusts it, the check does not.
    perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    [found] = findings(engine)
    assert (found.table, found.field, found.problem) == (
        "transition_record",
        "actor_role",
        "actor_role",
    )
    assert "says staff" in found.detail and "committee then" in found.detail


def test_rows_naming_no_user_are_found(engine: Engine, office: Office) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO refused_attempt (action, actor_username, actor_role, attempted_at, "
            f"code, reasons) VALUES ('approve', 'ghost', 'staff', {SQL_TIME}, 'x', '[]')"
        )
        conn.exec_driver_sql(
            "INSERT INTO calendar_change (day, change, name, source, actor_username, "
            f"recorded_at, moved) VALUES ('2019-04-12', 'add', 'x', 'y', 'nobody', {SQL_TIME}, "
            "'[]')"
        )
        conn.exec_driver_sql(  # the system takes no part in a submission
            "INSERT INTO refused_attempt (action, actor_username, actor_role, attempted_at, "
            f"code, reasons) VALUES ('submit', 'system', 'system', {SQL_TIME}, 'x', '[]')"
        )
    assert summary(engine) == {
        ("actor_unknown", "refused_attempt", "actor_user_id"),
        ("actor_unknown", "calendar_change", "actor_user_id"),
        ("actor_role", "refused_attempt", "actor_role"),
    }


STAFF = "username = 'staff-6660603'"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            f"UPDATE \"user\" SET role = 'admin', organization_id = NULL WHERE {STAFF}",
            {
                ("user_differs_from_events", "user", "role"),
                ("user_differs_from_events", "user", "organization_id"),
            },
        ),
        (
            f'UPDATE "user" SET is_active = false WHERE {STAFF}',
            {("user_differs_from_events", "user", "is_active")},
        ),
        (
            # the role change and the memberships it ended and granted
            "DELETE FROM account_event WHERE kind IN "
            "('role_changed', 'membership_granted', 'membership_ended')",
            {
                ("user_differs_from_events", "user", "role"),
                ("membership_differs_from_events", "membership", "user_id"),
                ("actor_role", "transition_record", "actor_role"),
            },
        ),
        (
            "UPDATE transition_record SET actor_role = 'executive' WHERE seq = 1",
            {("actor_role", "transition_record", "actor_role")},
        ),
    ],
    ids=["role edited", "deactivated by hand", "event deleted", "record's role edited"],
)
def test_hand_edits_of_users_events_and_records_are_found(
    engine: Engine,
    ctx: Context,
    clock: FixedClock,
    office: Office,
    sql: str,
    expected: set[tuple[str, str, str]],
) -> None:
    promote_mid_plan(engine, ctx, clock, office)
    assert findings(engine) == []
    with engine.begin() as conn:
        drop_guards(conn, ("transition_record", "account_event"))
        conn.exec_driver_sql(sql)
    assert summary(engine) == expected


def test_an_upgraded_database_gets_backfilled_created_events(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    """A database from before account events: each user gets a backfilled `created` event
    standing before everything, and the check passes on its history."""
    from alembic import command

    from models.db import alembic_config, upgrade

    walk(engine, ctx, office, PlanKind.ANNUAL, PlanState.POSTED)
    command.downgrade(alembic_config(engine), "0005")
    with engine.begin() as conn:  # users dated after their records: the backfill still holds
        conn.exec_driver_sql("UPDATE \"user\" SET created_at = '2020-01-01 00:00:00.000000'")
    upgrade(engine)
    with Session(engine) as session:
        trail = list(session.exec(select(AccountEvent)))
        # 0007's `created` and 0017's `membership_granted`, one each per user
        assert {e.kind.value for e in trail} == {"created", "membership_granted"}
        assert all(e.details["backfilled"] and e.actor_username == "system" for e in trail)
        user = find_user(session, office.staff.username)
        assert (
            next(e for e in trail if e.subject_user_id == user.id).details["after"]["role"]
            == "staff"
        )
        assert verify_log(session, public_keys={}) == []
    assert findings(engine) == []
    assert date(2020, 1, 1) <= trail[0].at.date()


def test_audit_verify_reports_the_actor_findings(
    engine: Engine, db_url: str, office: Office
) -> None:
    import json

    from tests.api.test_cli_accounts import run

    code, out, err = run(db_url, "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["intact"], err
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO refused_attempt (action, actor_username, actor_role, attempted_at, "
            f"code, reasons) VALUES ('approve', 'ghost', 'staff', {SQL_TIME}, 'x', '[]')"
        )
    code, out, _ = run(db_url, "audit", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and not report["intact"]
    [found] = report["log"]
    assert (found["table"], found["field"], found["problem"]) == (
        "refused_attempt",
        "actor_user_id",
        "actor_unknown",
    )
    code, out, _ = run(db_url, "audit", "verify")
    assert code == 1 and "refused_attempt" in out and "'ghost' (staff) is no user" in out
