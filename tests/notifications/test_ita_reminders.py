"""The transparency checklist's reminders (docs/domain.md "The transparency checklist"):
driven by the scheduler's ticks with an injected clock, mailed through a real SMTP receiver
(aiosmtpd) to the office's staff and executive, once per organization × ITA year × item, each
with its append-only record, an entry of the log; on both engines."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.scheduler import build_ticks
from api.settings import Settings
from models.clock import BANGKOK, FixedClock
from models.enums import ReportRound, ReportState
from models.ita import ItaReminder
from models.log import LogEntry
from models.outbox import OutboxMessage
from tests.factories import Office, make_office
from tests.ita_factories import posted_2567
from tests.notifications.conftest import Mailbox
from tests.notifications.test_delivery import give_emails
from tests.report_factories import monitoring_member, walk
from workflow.commands import Context
from workflow.ita_data import load_year
from workflow.ita_reminders import due_years


def at(clock: FixedClock, day: date, hour: int = 9) -> None:
    clock.set(datetime.combine(day, time(hour), tzinfo=BANGKOK))


def ita_mail(mailbox: Mailbox) -> list[tuple[str, str]]:
    """(subject, recipient) of the ITA reminders received (the plan's own messages aside)."""
    return [(str(m["Subject"]), r[0].split("@")[0])
            for m, r in zip(mailbox.messages, mailbox.recipients, strict=True)
            if str(m["Subject"]).startswith("ITA ")]  # fmt: skip


def test_due_years_run_from_the_days_before_to_the_window_s_end() -> None:
    years = [load_year(2566), load_year(2567)]
    assert due_years(date(2024, 3, 17), days_before=14, years=years) == []
    assert [y.year for y in due_years(date(2024, 3, 18), days_before=14, years=years)] == [2567]
    assert [y.year for y in due_years(date(2024, 5, 31), days_before=0, years=years)] == [2567]
    assert due_years(date(2024, 6, 1), days_before=14, years=years) == []


def test_the_office_is_reminded_of_what_it_lacks_once(
    db_url: str, engine: Engine, ctx: Context, office: Office, mailbox: Mailbox
) -> None:
    clock: FixedClock = ctx.clock  # type: ignore[assignment]
    posted_2567(engine, ctx, office)  # O11, O12 and (below) O13 there: nothing to remind
    monitor = monitoring_member(engine, clock, office)
    walk(engine, ctx, office, monitor, ReportRound.ANNUAL, ReportState.POSTED, year=2566)
    bare = make_office(engine, clock, "6660604")
    people = [f"{r}-{c}" for c in ("6660603", "6660604") for r in ("staff", "executive")]
    give_emails(engine, clock, *people, "committee-6660604", "auditor-6660604")
    settings = Settings(database_url=db_url, smtp_host="127.0.0.1", smtp_port=mailbox.port,
                        smtp_starttls=False, ita_reminder_days_before=14)  # fmt: skip
    at(clock, date(2024, 3, 17))
    ticks = build_ticks(settings, engine, clock=clock)
    ticks.once()
    assert ita_mail(mailbox) == []  # 15 days before the window opens (1 April 2024)
    at(clock, date(2024, 3, 18), hour=7)
    ticks.once()
    assert ita_mail(mailbox) == []  # before the reminder time, 08:30
    at(clock, date(2024, 3, 18))
    ticks.once()
    subjects = Counter(s for s, _ in ita_mail(mailbox))
    assert sorted(subjects.values()) == [2, 2, 2], subjects  # three items, two people each
    assert any(s.startswith("ITA 2567: ยังไม่มี O11 แผนดำเนินงาน") for s in subjects)
    assert all("เริ่ม 1 เม.ย. 2567" in s for s in subjects)
    texts = [str(part.get_content()) for m in mailbox.messages
             if str(m["Subject"]).startswith("ITA ")
             and (part := m.get_body(preferencelist=("plain",))) is not None]  # fmt: skip
    # The Thai text names the page in Thai (the data file's satisfied_with_th), not in English.
    assert any("ปีงบประมาณ 2567: แผนการดำเนินงานของปีงบประมาณนั้นปิดประกาศ" in t for t in texts)
    mailed = {person for _, person in ita_mail(mailbox)}
    assert mailed == {"staff-6660604", "executive-6660604"}
    for day in (date(2024, 3, 18), date(2024, 3, 19), date(2024, 4, 20)):
        at(clock, day, hour=10)
        build_ticks(settings, engine, clock=clock).once()  # a restart, a second process
    assert len(ita_mail(mailbox)) == 6
    with Session(engine) as s:
        rows = s.exec(select(ItaReminder).order_by(col(ItaReminder.id))).all()
        keys = s.exec(select(OutboxMessage.idempotency_key)
                      .where(OutboxMessage.kind == "ita.reminder")).all()  # fmt: skip
        logged = s.exec(select(LogEntry).where(LogEntry.table_name == "ita_reminder")).all()
    assert [(r.organization_id, r.item_code, r.status, r.legal_day) for r in rows] == [
        (bare.organization_id, "O11", "not_yet", date(2024, 3, 18)),
        (bare.organization_id, "O12", "not_yet", date(2024, 3, 18)),
        (bare.organization_id, "O13", "not_yet", date(2024, 3, 18)),
    ]
    assert sorted(keys) == [f"ita:2567:o{bare.organization_id}:O11",
                            f"ita:2567:o{bare.organization_id}:O12",
                            f"ita:2567:o{bare.organization_id}:O13"]  # fmt: skip
    assert sorted(e.row_id for e in logged) == [r.id for r in rows]


def test_the_reminders_can_be_turned_off(
    db_url: str, engine: Engine, ctx: Context, office: Office, mailbox: Mailbox
) -> None:
    clock: FixedClock = ctx.clock  # type: ignore[assignment]
    settings = Settings(database_url=db_url, ita_reminders_enabled=False)
    at(clock, date(2024, 4, 2))
    build_ticks(settings, engine, clock=clock).once()
    with Session(engine) as s:
        assert s.exec(select(ItaReminder)).all() == []
