"""Large, valid datasets written fast: plans in draft with their first (hash-chained) record
and preparation deadline, inserted with executemany instead of a command per plan."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from models.clock import FixedClock, bangkok_noon
from models.db import make_engine, upgrade
from models.enums import OrgType, Role
from workflow import uow
from workflow.accounts import actor_for, add_organization, add_user
from workflow.actors import Actor
from workflow.audit import GENESIS, record_hash

TRIGGER_ON = date(2018, 9, 20)
CREATED_ON = date(2018, 9, 21)
ORGS = 100


def build(path: Path, plans: int) -> tuple[Engine, dict[Role, Actor], FixedClock]:
    """A migrated SQLite file with `plans` draft plans spread over ORGS organizations; returns
    the engine, the actors of the first organization and a clock on 1 Oct 2018."""
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    clock = FixedClock(bangkok_noon(CREATED_ON))

    def people(session: object) -> dict[Role, Actor]:
        from sqlmodel import Session

        assert isinstance(session, Session)
        actors: dict[Role, Actor] = {}
        for n in range(ORGS):
            org = add_organization(
                session,
                code=f"66{n:05d}",
                name=f"อบต.ทดสอบ {n}",
                org_type=OrgType.SAO,
                district="บึงนาราง",
                province="พิจิตร",
            )
            if n == 0:
                for role in (Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE):
                    user = add_user(
                        session, clock=clock, username=f"{role.value}", role=role, organization=org
                    )
                    actors[role] = actor_for(session, user)
        return actors

    actors = uow.run(engine, clock, people)
    _bulk_plans(path, plans, actors[Role.STAFF])
    clock.set(bangkok_noon(date(2018, 10, 1)))
    return engine, actors, clock


def _bulk_plans(path: Path, plans: int, staff: Actor) -> None:
    at = datetime(2018, 9, 21, 5, 0, tzinfo=UTC)
    stamp = at.replace(tzinfo=None).isoformat(" ", timespec="microseconds")
    due = TRIGGER_ON + timedelta(days=30)
    plan_rows, record_rows, deadline_rows = [], [], []
    for plan_id in range(1, plans + 1):
        org_id = 1 if plan_id % 10 == 0 else (plan_id % ORGS) + 1  # the first office has 10 %
        details = {
            "trigger": {"kind": "supplementary_budget", "on": TRIGGER_ON.isoformat(), "note": None},
            "deadlines": [],
        }
        digest = record_hash(
            plan_id=plan_id,
            organization_id=org_id,
            seq=1,
            action="create",
            from_state=None,
            to_state="draft",
            actor_user_id=staff.user_id,
            actor_username=staff.username,
            actor_role="staff",
            effective_on=CREATED_ON,
            recorded_at=at,
            comment=None,
            request_id=None,
            details=details,
            prev_hash=GENESIS,
        )
        plan_rows.append(
            (
                plan_id,
                org_id,
                2562,
                "supplementary",
                plan_id,
                f"แผนเพิ่มเติม {plan_id}",
                "draft",
                1,
                digest,
                "supplementary_budget",
                TRIGGER_ON.isoformat(),
                CREATED_ON.isoformat(),
                "[]",
                stamp,
                stamp,
            )
        )
        record_rows.append(
            (
                plan_id,
                org_id,
                1,
                "create",
                None,
                "draft",
                staff.user_id,
                staff.username,
                "staff",
                CREATED_ON.isoformat(),
                stamp,
                json.dumps(details, ensure_ascii=False),
                GENESIS,
                digest,
            )
        )
        deadline_rows.append(
            (
                plan_id,
                "preparation",
                TRIGGER_ON.isoformat(),
                30,
                "strict",
                0,
                "ข้อ 27",
                due.isoformat(),
                due.isoformat(),
                (due - timedelta(days=1)).isoformat(),
                0,
                "open",
                stamp,
            )
        )
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO plan (id, organization_id, fiscal_year_be, kind, number, title, state, "
            "version, head_hash, trigger_kind, trigger_on, last_effective_on, posting_places, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            plan_rows,
        )
        conn.executemany(
            "INSERT INTO transition_record (plan_id, organization_id, seq, action, from_state, "
            "to_state, actor_user_id, actor_username, actor_role, effective_on, recorded_at, "
            "details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            record_rows,
        )
        conn.executemany(
            "INSERT INTO deadline (plan_id, kind, start_on, days, mode, conservative, clause, "
            "base_due_on, due_on, last_working_on, extended, status, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            deadline_rows,
        )
    conn.close()


SUBMITTED_ON = date(2018, 10, 1)


def build_in_review(path: Path, plans: int) -> tuple[Engine, dict[int, Actor], FixedClock]:
    """`build`, then every plan submitted to its committee: a second hash-chained record
    (submit) and its outbox row, as the `submit` command writes them. Returns the engine, one
    committee member per organization id, and the clock of `build` (1 Oct 2018)."""
    engine, actors, clock = build(path, plans)
    staff = actors[Role.STAFF]

    def committees(session: object) -> dict[int, Actor]:
        from sqlmodel import Session

        from models.organization import Organization

        assert isinstance(session, Session)
        found = {1: actors[Role.COMMITTEE]}
        for org_id in range(2, ORGS + 1):
            org = session.get(Organization, org_id)
            assert org is not None
            user = add_user(
                session,
                clock=clock,
                username=f"committee-{org_id}",
                role=Role.COMMITTEE,
                organization=org,
            )
            found[org_id] = actor_for(session, user)
        return found

    members = uow.run(engine, clock, committees)
    _bulk_submit(path, staff)
    return engine, members, clock


def _bulk_submit(path: Path, staff: Actor) -> None:
    at = datetime(2018, 10, 1, 5, 0, tzinfo=UTC)  # noon in Bangkok, as `build`'s clock
    stamp = at.replace(tzinfo=None).isoformat(" ", timespec="microseconds")
    due = TRIGGER_ON + timedelta(days=30)
    details = {
        "deadlines": [
            {
                "kind": "preparation",
                "start_on": TRIGGER_ON.isoformat(),
                "due_on": due.isoformat(),
                "last_working_on": (due - timedelta(days=1)).isoformat(),
                "mode": "strict",
                "status": "open",
                "closed_on": None,
            }
        ]
    }
    details_json = json.dumps(details, ensure_ascii=False)
    conn = sqlite3.connect(path)
    drafts = conn.execute(
        "SELECT id, organization_id, head_hash FROM plan WHERE state = 'draft' AND version = 1"
    ).fetchall()
    plan_rows, record_rows = [], []
    for plan_id, org_id, prev in drafts:
        digest = record_hash(
            plan_id=plan_id,
            organization_id=org_id,
            seq=2,
            action="submit",
            from_state="draft",
            to_state="committee_review",
            actor_user_id=staff.user_id,
            actor_username=staff.username,
            actor_role="staff",
            effective_on=SUBMITTED_ON,
            recorded_at=at,
            comment=None,
            request_id=None,
            details=details,
            prev_hash=prev,
        )
        plan_rows.append((digest, SUBMITTED_ON.isoformat(), stamp, plan_id))
        record_rows.append(
            (
                plan_id,
                org_id,
                2,
                "submit",
                "draft",
                "committee_review",
                staff.user_id,
                staff.username,
                "staff",
                SUBMITTED_ON.isoformat(),
                stamp,
                details_json,
                prev,
                digest,
            )
        )
    with conn:
        conn.executemany(
            "UPDATE plan SET state = 'committee_review', version = 2, head_hash = ?, "
            "last_effective_on = ?, updated_at = ? WHERE id = ?",
            plan_rows,
        )
        conn.executemany(
            "INSERT INTO transition_record (plan_id, organization_id, seq, action, from_state, "
            "to_state, actor_user_id, actor_username, actor_role, effective_on, recorded_at, "
            "details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            record_rows,
        )
        submitted = conn.execute(
            "SELECT id, organization_id, plan_id FROM transition_record WHERE seq = 2"
        ).fetchall()
        conn.executemany(
            "INSERT INTO outbox_message (idempotency_key, kind, organization_id, plan_id, "
            "audience, payload, status, attempts, available_at, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    f"transition:{record_id}",
                    "transition.submit",
                    org_id,
                    plan_id,
                    '["committee"]',
                    json.dumps({"record_id": record_id, "action": "submit", "details": details}),
                    "pending",
                    0,
                    stamp,
                    stamp,
                )
                for record_id, org_id, plan_id in submitted
            ],
        )
    conn.close()
