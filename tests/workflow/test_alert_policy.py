"""The alert policy (docs/domain.md "Alerts"), pure: thresholds, series, catch-up, escalation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from models.enums import DeadlineKind, DeadlineStatus, Role
from workflow.alert_policy import (
    AlertKind,
    AlertPolicy,
    DeadlineFacts,
    due_alerts,
    next_alert_on,
)
from workflow.table import CLOCKS

POLICY = AlertPolicy()
S, C, E, A = Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR


def posting(due: date, lwd: date | None = None, **kw: object) -> DeadlineFacts:
    return DeadlineFacts(
        DeadlineKind.POSTING,
        due,
        lwd or due,
        DeadlineStatus.OPEN,
        **kw,  # type: ignore[arg-type]
    )


def days(start: date, end: date, step: int = 1) -> Iterable[date]:
    d = start
    while d <= end:
        yield d
        d += timedelta(days=step)


def simulate(
    facts: DeadlineFacts, sweep_days: Iterable[date], policy: AlertPolicy = POLICY
) -> list[tuple[date, str, str]]:
    """Sweep on each day; an alert already written (same key) is not written again."""
    seen: set[str] = set()
    out = []
    for today in sweep_days:
        for alert in due_alerts(facts, today=today, policy=policy):
            key = alert.key(1)
            if key not in seen:
                seen.add(key)
                out.append((today, alert.kind.value, alert.occurrence))
    return out


def test_daily_sweeps_give_each_reminder_on_its_day_then_weekly_overdue() -> None:
    # Announced Thu 25 Oct 2018: post by Fri 9 Nov 2018 (a working day: no extra warning).
    facts = posting(date(2018, 11, 9))
    got = simulate(facts, days(date(2018, 10, 25), date(2018, 11, 30)))
    assert got == [
        (date(2018, 11, 2), "reminder", "2018-11-09/7d"),
        (date(2018, 11, 6), "reminder", "2018-11-09/3d"),
        (date(2018, 11, 8), "reminder", "2018-11-09/1d"),
        (date(2018, 11, 9), "reminder", "2018-11-09/0d"),
        (date(2018, 11, 10), "overdue", "2018-11-09/w0"),
        (date(2018, 11, 17), "overdue", "2018-11-09/w1"),
        (date(2018, 11, 24), "overdue", "2018-11-09/w2"),
    ]


def test_a_due_date_on_a_holiday_warns_on_the_last_working_day() -> None:
    # Announced Mon 8 Oct 2018: due Tue 23 Oct (a holiday), act by Mon 22 Oct (strict).
    facts = posting(date(2018, 10, 23), date(2018, 10, 22))
    got = simulate(facts, days(date(2018, 10, 8), date(2018, 10, 24)))
    assert got == [
        (date(2018, 10, 16), "reminder", "2018-10-23/7d"),
        (date(2018, 10, 20), "reminder", "2018-10-23/3d"),
        (date(2018, 10, 22), "last_working_day", "2018-10-23/2018-10-22"),
        (date(2018, 10, 22), "reminder", "2018-10-23/1d"),
        (date(2018, 10, 23), "reminder", "2018-10-23/0d"),
        (date(2018, 10, 24), "overdue", "2018-10-23/w0"),
    ]


def test_after_downtime_only_the_latest_missed_threshold_of_each_series() -> None:
    facts = posting(date(2018, 10, 23), date(2018, 10, 22))
    # Down from 15 Oct to 22 Oct: the 7- and 3-day reminders were missed.
    got = simulate(facts, [date(2018, 10, 15), date(2018, 10, 22), date(2018, 10, 22)])
    assert got == [
        (date(2018, 10, 22), "last_working_day", "2018-10-23/2018-10-22"),
        (date(2018, 10, 22), "reminder", "2018-10-23/1d"),
    ]
    # Down for three weeks past the due date: one overdue alert (the latest week), no reminder.
    got = simulate(facts, [date(2018, 11, 14)])
    assert got == [(date(2018, 11, 14), "overdue", "2018-10-23/w3")]


def test_catch_up_all_sends_every_live_missed_threshold() -> None:
    facts = posting(date(2018, 11, 9))
    everything = AlertPolicy(catch_up="all")
    got = simulate(facts, [date(2018, 11, 7)], everything)
    assert [o for _, _, o in got] == ["2018-11-09/7d", "2018-11-09/3d"]
    got = simulate(facts, [date(2018, 11, 25)], everything)
    assert [o for _, _, o in got] == ["2018-11-09/w0", "2018-11-09/w1", "2018-11-09/w2"]


def test_overdue_is_escalated_to_the_executive_and_auditors() -> None:
    [overdue] = due_alerts(posting(date(2018, 11, 9)), today=date(2018, 11, 10), policy=POLICY)
    assert overdue.kind is AlertKind.OVERDUE and overdue.audience == (S, E, A)
    [reminder] = due_alerts(posting(date(2018, 11, 9)), today=date(2018, 11, 2), policy=POLICY)
    assert reminder.audience == (S,)
    later = AlertPolicy(escalate_from=1)
    [first] = due_alerts(posting(date(2018, 11, 9)), today=date(2018, 11, 10), policy=later)
    [second] = due_alerts(posting(date(2018, 11, 9)), today=date(2018, 11, 17), policy=later)
    assert first.audience == (S,) and second.audience == (S, E, A)
    quiet = AlertPolicy(escalate=False)
    [alone] = due_alerts(posting(date(2018, 11, 9)), today=date(2018, 11, 10), policy=quiet)
    assert alone.audience == (S,)


def test_preparation_reminds_everyone_who_holds_the_duty() -> None:
    facts = DeadlineFacts(
        DeadlineKind.PREPARATION, date(2018, 10, 20), date(2018, 10, 19), DeadlineStatus.OPEN
    )
    got = due_alerts(facts, today=date(2018, 10, 19), policy=POLICY)
    assert [(a.kind.value, a.audience) for a in got] == [
        ("last_working_day", (S, C, E)),
        ("reminder", (S, C, E)),
    ]


def test_minimum_posting_may_come_down_once_from_the_removal_date() -> None:
    # Posted Fri 26 Oct 2018: satisfied end of Sun 25 Nov; may come down from Mon 26 Nov.
    facts = DeadlineFacts(
        DeadlineKind.MINIMUM_POSTING, date(2018, 11, 26), date(2018, 11, 26), DeadlineStatus.OPEN
    )
    got = simulate(facts, days(date(2018, 10, 26), date(2018, 12, 31)))
    assert got == [(date(2018, 11, 26), "may_come_down", "2018-11-26")]


@pytest.mark.parametrize(
    "status", [DeadlineStatus.MET, DeadlineStatus.LATE, DeadlineStatus.CANCELLED]
)
def test_closed_deadlines_owe_nothing(status: DeadlineStatus) -> None:
    facts = DeadlineFacts(DeadlineKind.POSTING, date(2018, 11, 9), date(2018, 11, 9), status)
    assert due_alerts(facts, today=date(2018, 11, 20), policy=POLICY) == []


def test_an_extension_starts_fresh_series_keyed_by_the_new_due_date() -> None:
    before = posting(date(2018, 11, 9))
    after = posting(date(2018, 11, 30), extended=True)
    seen = {a.key(7) for a in due_alerts(before, today=date(2018, 11, 9), policy=POLICY)}
    fresh = due_alerts(after, today=date(2018, 11, 23), policy=POLICY)
    assert [a.key(7) for a in fresh] == ["alert:7:reminder:2018-11-30/7d"]
    assert not seen & {a.key(7) for a in fresh}


def test_keys_are_stable_and_name_deadline_kind_and_occurrence() -> None:
    one = due_alerts(posting(date(2018, 11, 9)), today=date(2018, 11, 6), policy=POLICY)
    two = due_alerts(posting(date(2018, 11, 9)), today=date(2018, 11, 7), policy=POLICY)
    assert [a.key(3) for a in one] == [a.key(3) for a in two] == ["alert:3:reminder:2018-11-09/3d"]


def test_policy_values_are_checked() -> None:
    with pytest.raises(ValueError):
        AlertPolicy(reminder_days=(7, -1))
    with pytest.raises(ValueError):
        AlertPolicy(overdue_repeat_days=0)
    no_warning = AlertPolicy(last_working_day_warning=False, reminder_days=(2,))
    facts = posting(date(2018, 10, 23), date(2018, 10, 22))
    got = simulate(facts, days(date(2018, 10, 8), date(2018, 10, 23)), no_warning)
    assert got == [(date(2018, 10, 21), "reminder", "2018-10-23/2d")]


@pytest.mark.parametrize("catch_up", ["latest", "all"])
@pytest.mark.parametrize("kind", list(DeadlineKind))
@pytest.mark.parametrize("lwd_gap", [0, 1, 3])
def test_looking_only_on_next_alert_days_writes_what_daily_sweeps_write(
    catch_up: str, kind: DeadlineKind, lwd_gap: int
) -> None:
    policy = AlertPolicy(reminder_days=(14, 7, 3, 1, 0), catch_up=catch_up)  # type: ignore[arg-type]
    due = date(2018, 11, 10)
    facts = DeadlineFacts(kind, due, due - timedelta(days=lwd_gap), DeadlineStatus.OPEN)
    start, end = date(2018, 10, 1), date(2018, 12, 31)
    looks, day = [], start
    while day <= end:  # what the sweeper does: look, then wait for the next alert day
        looks.append(day)
        day = next_alert_on(facts, today=day, policy=policy)
    daily = simulate(facts, days(start, end), policy)
    assert simulate(facts, looks, policy) == daily
    assert len(looks) <= len(daily) + 1


def test_a_closed_deadline_needs_no_next_look() -> None:
    due = date(2018, 11, 9)
    facts = DeadlineFacts(DeadlineKind.POSTING, due, due, DeadlineStatus.MET)
    assert next_alert_on(facts, today=date(2018, 11, 1), policy=POLICY) == date.max


def test_audience_and_floor_are_the_clock_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    # The policy restates neither: change the table's row and the alerts follow it.
    clock = CLOCKS[DeadlineKind.POSTING]
    monkeypatch.setitem(CLOCKS, DeadlineKind.POSTING, replace(clock, reminded=(E,)))
    due = date(2018, 11, 9)
    assert {a.audience for a in due_alerts(posting(due), today=due, policy=POLICY)} == {(E,)}
    monkeypatch.setitem(CLOCKS, DeadlineKind.POSTING, replace(clock, floor=True))
    after = due + timedelta(days=20)
    got = due_alerts(posting(due), today=after, policy=POLICY)
    assert [a.kind for a in got] == [AlertKind.MAY_COME_DOWN]
    assert next_alert_on(posting(due), today=after, policy=POLICY) == date.max
