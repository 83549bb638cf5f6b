"""An audit database of a realistic shape, written with raw sqlite3 executemany in chunks.

7,850 organizations (the country's local governments), three officers each; 50,000 plans a
fiscal year (an annual plan per organization and about five supplementary plans), one
organization in fifty being busy (2 % of the plans: a 7-day window of its history holds more
than one 100-row page). Past fiscal years are complete: eight hash-chained records a plan
(create, submit, return for revision, submit, approve, announce, post, complete posting) and
three closed clocks. The current fiscal year is in progress: 50,000 plans with one to six
records (about two on average) and the clocks they have reached. A database of `records`
records holds the current year and as many past years as fit before it, so ids grow with time.

Hashes follow workflow.audit.record_hash exactly (the canonical JSON is built from a template
for speed; every 997th record is checked against record_hash, and the bench runs
workflow.audit.verify on a sample of plans).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import audit_clocks
from workflow.audit import GENESIS, record_hash

ORGS = 7_850
PROVINCES = 77
PLANS_A_YEAR = 50_000
BUSY_ORG = 1
CURRENT_FY = 2569  # 1 Oct 2025 – 30 Sep 2026
TODAY = date(2025, 12, 15)
CHUNK = 50_000
# (action, from, to, role, days after the trigger)
LIFE = (
    ("create", None, "draft", "staff", 1),
    ("submit", "draft", "committee_review", "staff", 6),
    ("return_for_revision", "committee_review", "draft", "committee", 9),
    ("submit", "draft", "committee_review", "staff", 12),
    ("approve", "committee_review", "awaiting_announcement", "committee", 16),
    ("announce", "awaiting_announcement", "announced", "executive", 24),
    ("post", "announced", "posted", "staff", 31),
    ("complete_posting", "posted", "posting_complete", "system", 61),
)
SHORT = (0, 1, 4, 5, 6, 7)  # the current year's plans: no return for revision
CURRENT_STEPS = (1,) * 12 + (2, 2, 3, 3, 4, 4, 5, 6)  # records per plan, by plan index % 20
COMMENT = "ขอให้ปรับรายละเอียดโครงการตามมติที่ประชุม"
PLACES = ["บอร์ดประชาสัมพันธ์ที่ทำการ", "เว็บไซต์หน่วยงาน"]
RECORD_SQL = (
    "INSERT INTO transition_record (id, plan_id, organization_id, seq, action, from_state, "
    "to_state, actor_user_id, actor_username, actor_role, effective_on, recorded_at, comment, "
    "details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
PLAN_SQL = (
    "INSERT INTO plan (id, organization_id, fiscal_year_be, kind, number, title, state, version, "
    "head_hash, trigger_kind, trigger_on, last_effective_on, announced_on, posted_on, "
    "posting_places, posting_complete_on, created_at, updated_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
DEADLINE_SQL = (
    "INSERT INTO deadline (plan_id, kind, start_on, days, mode, conservative, clause, "
    "base_due_on, due_on, last_working_on, extended, status, closed_on, created_at, closed_at) "
    "VALUES (?,?,?,?,'strict',0,?,?,?,?,0,?,?,?,?)"
)


@dataclass(frozen=True)
class Shape:
    records: int
    plans: int
    plans_a_year: int
    past_years: float
    first_recorded: datetime
    last_recorded: datetime


def org_of(index: int) -> int:
    return BUSY_ORG if index % 50 == 0 else index % (ORGS - 1) + 2


# The provinces' names as organizations store them, without "จังหวัด" (a search strips it:
# workflow/input_rules.province_search). Until the fifth round the bench stored
# "จังหวัด 08", so the board's search by province matched nothing and measured empty pages.
PROVINCE_NAMES = (
    "กรุงเทพมหานคร", "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี",
    "ฉะเชิงเทรา", "ชลบุรี", "ชัยนาท", "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง",
    "ตราด", "ตาก", "นครนายก", "นครปฐม", "นครพนม", "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์",
    "นนทบุรี", "นราธิวาส", "น่าน", "บึงกาฬ", "บุรีรัมย์", "ปทุมธานี", "ประจวบคีรีขันธ์",
    "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา", "พะเยา", "พังงา", "พัทลุง", "พิจิตร",
    "พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต", "มหาสารคาม", "มุกดาหาร",
    "แม่ฮ่องสอน", "ยโสธร", "ยะลา", "ร้อยเอ็ด", "ระนอง", "ระยอง", "ราชบุรี", "ลพบุรี", "ลำปาง",
    "ลำพูน", "เลย", "ศรีสะเกษ", "สกลนคร", "สงขลา", "สตูล", "สมุทรปราการ", "สมุทรสงคราม",
    "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี", "สุโขทัย", "สุพรรณบุรี", "สุราษฎร์ธานี",
    "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ", "อุดรธานี", "อุตรดิตถ์",
    "อุทัยธานี", "อุบลราชธานี",
)
assert len(PROVINCE_NAMES) == PROVINCES
DATA_VERSION = 2  # part of a kept file's name: a file of an earlier shape is built anew


def province_of(org: int) -> str:
    return PROVINCE_NAMES[org % PROVINCES]


def build(path: Path, records: int, *, plans_a_year: int = PLANS_A_YEAR) -> Shape:
    """Fill a migrated SQLite file at `path` with about `records` transition records."""
    current = plans_a_year * sum(CURRENT_STEPS) // len(CURRENT_STEPS)
    past_plans = max(0, records - current) // len(LIFE)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # a bulk load into a throwaway file
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-500000")
    _people(conn)
    # Secondary indexes are dropped during the load and rebuilt after (as they were).
    indexes = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name IN "
        "('transition_record','plan','deadline') AND sql IS NOT NULL"
    ).fetchall()
    for (sql,) in indexes:
        conn.execute("DROP INDEX " + sql.split(" ON ")[0].split()[-1])
    counter = _Ids()
    start = CURRENT_FY - 543 - 1  # the Gregorian year the current fiscal year starts in
    first_day = date(start, 10, 1) - timedelta(days=round(past_plans / plans_a_year * 365))
    plans = _plans(past_plans, first_day, date(start, 10, 1), counter, past=True)
    _load(conn, plans)
    days = (TODAY - date(start, 10, 1)).days - 1
    current_plans = _plans(plans_a_year, TODAY - timedelta(days=days), TODAY, counter, past=False)
    _load(conn, current_plans)
    for (sql,) in indexes:
        conn.execute(sql)
    conn.execute("PRAGMA journal_mode=WAL")  # as models.db runs it
    conn.close()
    return Shape(
        counter.record,
        counter.plan,
        plans_a_year,
        past_plans / plans_a_year,
        datetime.combine(first_day, datetime.min.time(), UTC),
        datetime.combine(TODAY, datetime.min.time(), UTC),
    )


class _Ids:
    def __init__(self) -> None:
        self.plan = 0
        self.record = 0


def _people(conn: sqlite3.Connection) -> None:
    stamp = "2015-01-01 00:00:00.000000"
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO organization (id, code, name, org_type, district, province) "
        "VALUES (?,?,?,?,?,?)",
        [
            (
                o,
                f"{6000000 + o}",
                f"องค์กรปกครองส่วนท้องถิ่น {o}",
                "sao",
                f"อำเภอ {o % 900}",
                province_of(o),
            )
            for o in range(1, ORGS + 1)
        ],
    )
    conn.executemany(
        "INSERT INTO user (id, username, full_name, role, organization_id, is_active, "
        "created_at) VALUES (?,?,?,?,?,1,?)",
        [
            (3 * (o - 1) + n + 1, f"{role[0]}{o}", f"{role} {o}", role, o, stamp)
            for o in range(1, ORGS + 1)
            for n, role in enumerate(("staff", "committee", "executive"))
        ],
    )
    conn.execute("COMMIT")


def _user(org: int, role: str) -> tuple[int | None, str]:
    if role == "system":
        return None, "system"
    n = ("staff", "committee", "executive").index(role)
    return 3 * (org - 1) + n + 1, f"{role[0]}{org}"


def _load(
    conn: sqlite3.Connection, plans: Iterator[tuple[list[Any], list[Any], list[Any]]]
) -> None:
    batch: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    for plan_rows, record_rows, deadline_rows in plans:
        batch[0].extend(plan_rows)
        batch[1].extend(record_rows)
        batch[2].extend(deadline_rows)
        if len(batch[1]) >= CHUNK:
            _flush(conn, batch)
            batch = ([], [], [])
    _flush(conn, batch)


def _flush(conn: sqlite3.Connection, batch: tuple[list[Any], list[Any], list[Any]]) -> None:
    conn.execute("BEGIN")
    conn.executemany(PLAN_SQL, batch[0])
    conn.executemany(RECORD_SQL, batch[1])
    conn.executemany(DEADLINE_SQL, batch[2])
    conn.execute("COMMIT")


def _plans(
    count: int, first: date, end: date, ids: _Ids, *, past: bool
) -> Iterator[tuple[list[Any], list[Any], list[Any]]]:
    """`count` plans whose triggers are spread evenly from `first` to before `end`."""
    span = max(1, (end - first).days)
    shapes: dict[tuple[date, int], _Life] = {}
    for i in range(count):
        trigger = first + timedelta(days=i * span // count)
        taken = len(LIFE) if past else CURRENT_STEPS[i % 20]
        life = shapes.get((trigger, taken))
        if life is None:
            steps = LIFE if past else tuple(LIFE[s] for s in SHORT[:taken])
            life = shapes[(trigger, taken)] = _Life.of(trigger, steps)
        ids.plan += 1
        yield _plan(ids, i, life)


Step = tuple[str, str | None, str, str, int]


@dataclass(frozen=True)
class _Life:
    """Everything plans with the same trigger day and progress share (computed once)."""

    trigger: date
    steps: tuple[Step, ...]
    days: tuple[str, ...]  # each step's legal date
    details: tuple[str, ...]  # each later step's details, canonical JSON ("" for creation)
    created: dict[str, Any]  # the creation record's details but the plan's own fields
    plan_tail: tuple[Any, ...]
    clocks: tuple[audit_clocks.Spec, ...]

    @classmethod
    def of(cls, trigger: date, steps: tuple[Step, ...]) -> _Life:
        reached = {s[0] for s in steps}
        days = tuple(_life_date(trigger, s[0]).isoformat() for s in steps)
        clocks = audit_clocks.specs(
            trigger, [s[0] for s in steps], lambda action: _life_date(trigger, action)
        )
        details = tuple(
            "" if n == 0 else _canonical(_details(s[0], n, clocks)) for n, s in enumerate(steps)
        )
        tail = (
            steps[-1][2],
            len(steps),
            trigger.isoformat(),
            days[-1],
            _on(trigger, reached, "announce"),
            _on(trigger, reached, "post"),
            json.dumps(PLACES if "post" in reached else [], ensure_ascii=False),
            _on(trigger, reached, "complete_posting"),
        )
        created = _details("create", 0, clocks)
        return cls(trigger, steps, days, details, created, tail, tuple(clocks))


def _plan(ids: _Ids, index: int, life: _Life) -> tuple[list[Any], list[Any], list[Any]]:
    pid, org = ids.plan, org_of(index)
    trigger = life.trigger
    year = trigger.year + 543 + (1 if trigger.month >= 10 else 0)
    annual = index % 6 == 0
    kind, title = ("annual" if annual else "supplementary"), f"แผนการดำเนินงาน {pid}"
    records, prev, stamps = [], GENESIS, []
    for seq, (action, source, dest, role, _) in enumerate(life.steps, 1):
        day, details = life.days[seq - 1], life.details[seq - 1]
        if seq == 1:  # the trigger and the plan's own fields (workflow.creation)
            details = _canonical(_created(life, annual, year, kind, index + 1, title))
        clock = f"{2 + (pid * 7 + seq) % 8:02d}:{(pid + seq * 13) % 60:02d}:00"
        user_id, username = _user(org, role)
        comment = COMMENT if action == "return_for_revision" else None
        text = (
            f'{{"action":"{action}","actor_role":"{role}","actor_user_id":'
            f'{"null" if user_id is None else user_id},"actor_username":"{username}",'
            f'"comment":{_s(comment)},"details":{details},"effective_on":"{day}",'
            f'"from_state":{_s(source)},"organization_id":{org},"plan_id":{pid},'
            f'"prev_hash":"{prev}","recorded_at":"{day}T{clock}+00:00","request_id":null,'
            f'"seq":{seq},"to_state":"{dest}"}}'
        )
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        ids.record += 1
        if ids.record % 997 == 0:
            _check(digest, (pid, org, seq), life, user_id, username, comment, clock, prev, details)
        stamps.append(f"{day} {clock}.000000")
        records.append(
            (
                ids.record,
                pid,
                org,
                seq,
                action,
                source,
                dest,
                user_id,
                username,
                role,
                day,
                stamps[-1],
                comment,
                details,
                prev,
                digest,
            )
        )
        prev = digest
    plan = (
        pid,
        org,
        year,
        kind,
        index + 1,
        title,
        life.plan_tail[0],
        life.plan_tail[1],
        prev,
        "annual_budget" if annual else "supplementary_budget",
        *life.plan_tail[2:],
        stamps[0],
        stamps[-1],
    )
    clocks = [
        (pid, *audit_clocks.row(c, stamps[c.opened], _closed_at(c, stamps))) for c in life.clocks
    ]
    return [plan], records, clocks


def _closed_at(clock: audit_clocks.Spec, stamps: list[str]) -> str | None:
    return None if clock.closed is None or clock.closed >= len(stamps) else stamps[clock.closed]


def _created(
    life: _Life, annual: bool, year: int, kind: str, number: int, title: str
) -> dict[str, Any]:
    trigger = {"kind": "annual_budget" if annual else "supplementary_budget"}
    plan = {
        "fiscal_year_be": year,
        "kind": kind,
        "number": number,
        "title": title,
        "budget_baht": None,
        "amends_plan_id": None,
    }
    return life.created | {"trigger": life.created["trigger"] | trigger, "plan": plan}


def _check(
    digest: str,
    where: tuple[int, int, int],
    life: _Life,
    user_id: int | None,
    username: str,
    comment: str | None,
    clock: str,
    prev: str,
    details: str,
) -> None:
    pid, org, seq = where
    action, source, dest, role, _ = life.steps[seq - 1]
    day = date.fromisoformat(life.days[seq - 1])
    expected = record_hash(
        plan_id=pid,
        organization_id=org,
        seq=seq,
        action=action,
        from_state=source,
        to_state=dest,
        actor_user_id=user_id,
        actor_username=username,
        actor_role=role,
        effective_on=day,
        recorded_at=datetime.fromisoformat(f"{day.isoformat()}T{clock}+00:00"),
        comment=comment,
        request_id=None,
        details=json.loads(details),
        prev_hash=prev,
    )
    assert digest == expected, "the template no longer matches workflow.audit.record_hash"


def _on(trigger: date, reached: set[str], action: str) -> str | None:
    return _life_date(trigger, action).isoformat() if action in reached else None


def _life_date(trigger: date, action: str) -> date:
    """The day `action` happens in a plan's life (a fixed offset from its trigger)."""
    return trigger + timedelta(days=next(s[4] for s in LIFE if s[0] == action))


def _details(action: str, step: int, clocks: list[audit_clocks.Spec]) -> dict[str, Any]:
    """What the commands record: the trigger at creation, places when posting, and the plan's
    clocks as they stood after the action (the creation's trigger kind is set per plan)."""
    out: dict[str, Any] = {"deadlines": [c.snapshot(step) for c in clocks if c.opened <= step]}
    if action == "create":
        start = clocks[0].terms.start_on.isoformat()
        out["trigger"] = {"kind": "supplementary_budget", "on": start, "note": None}
    if action == "post":
        out["places"] = PLACES
    return out


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _s(value: str | None) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)
