"""Hypothesis stateful test of the monitoring reports (docs/domain.md "Monitoring reports"),
on both engines: random reports, actions, people (a clerk who also sits on the monitoring
committee among them), backdated dates, stale versions, time passing and the scheduler's
sweep never break the invariants. Every chain verifies; each report's state, version and
dates are the replay of its records; one live report per organization, year and round; and
the clocks agree with the dates recorded, counted by the oracle of
tests/workflow/test_properties.py (written from docs/domain.md, not with the code under test).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import Session, col, select

from models.clock import FixedClock, bangkok_noon, today_bangkok
from models.db import make_engine
from models.deadline import Deadline
from models.enums import (
    Action,
    CountingMode,
    DeadlineKind,
    DeadlineStatus,
    ReportRound,
    ReportState,
    Role,
)
from models.report import MonitoringReport, ReportRecord
from tests.databases import ENGINES, databases, postgres_url
from tests.factories import make_office
from tests.report_factories import FINDINGS, PLACES, REASON, monitoring_member
from tests.workflow.test_memberships import two_roles
from tests.workflow.test_properties import DaysOff, act_by, expected_dates
from workflow import uow
from workflow.actors import SYSTEM, Actor
from workflow.audit import verify
from workflow.commands import Context
from workflow.errors import DomainError
from workflow.policy import WorkflowPolicy
from workflow.report_commands import create_report, perform_report
from workflow.sweeper import SweepSettings, sweep
from workflow.table_reports import REPORT_ACTIONS, report_rules_for

PEOPLE = ["staff", "committee", "monitoring", "executive", "auditor", "system", "clerk"]
SWEEP = SweepSettings(open_yearly_floors=True, half_report_reminder_day=15)
ENGINE_UNDER_TEST = {"kind": "sqlite"}


class ReportsUnderLaw(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        url, self.drop = databases(ENGINE_UNDER_TEST["kind"]).new()
        self.engine = make_engine(url)
        self.clock = FixedClock(bangkok_noon(date(2019, 3, 20)))  # FY 2562
        self.office = make_office(self.engine, self.clock, "6660603")
        self.ctx = Context(WorkflowPolicy(), self.clock)
        monitor = monitoring_member(self.engine, self.clock, self.office)
        clerk = two_roles(self.engine, self.clock, self.office, Role.STAFF,
                          Role.MONITORING_COMMITTEE)  # fmt: skip
        self.people: dict[str, Actor] = {
            "staff": self.office.staff, "committee": self.office.committee,
            "monitoring": monitor, "executive": self.office.executive,
            "auditor": self.office.auditor, "system": SYSTEM, "clerk": clerk,
        }  # fmt: skip
        self.reports: list[int] = []

    def teardown(self) -> None:
        self.engine.dispose()
        self.drop()

    @initialize(mode=st.sampled_from(CountingMode), conservative=st.booleans())
    def choose_policy(self, mode: CountingMode, conservative: bool) -> None:
        policy = WorkflowPolicy(counting_mode=mode, conservative_minimum_posting=conservative)
        self.ctx = Context(policy, self.clock)

    def today(self) -> date:
        return today_bangkok(self.clock)

    def _report(self, pick: int) -> MonitoringReport:
        with Session(self.engine) as s:
            found = s.get(MonitoringReport, self.reports[pick % len(self.reports)])
            assert found is not None
            return found

    @rule(round_=st.sampled_from(ReportRound), year=st.integers(2561, 2563),
          who=st.sampled_from(["staff", "clerk", "system", "executive"]))  # fmt: skip
    def create(self, round_: ReportRound, year: int, who: str) -> None:
        try:
            made = uow.run(self.engine, self.clock, lambda s: create_report(
                s, self.ctx, organization_id=self.office.organization_id, fiscal_year_be=year,
                round_=round_, actor=self.people[who]))  # fmt: skip
        except DomainError as error:
            event(f"create: {error.code}")
            return
        self.reports.append(made.id)

    def _perform(self, report: MonitoringReport, action: Action, who: str, *, version: int,
                 back: int = 0, inputs: bool = True) -> None:  # fmt: skip
        kw: dict[str, object] = {"comment": REASON, "places": PLACES, **FINDINGS} if inputs else {}
        try:
            uow.run(self.engine, self.clock, lambda s: perform_report(
                s, self.ctx, report_id=report.id or 0, action=action, actor=self.people[who],
                expected_version=version, effective_on=self.today() - timedelta(days=back),
                **kw))  # type: ignore[arg-type]  # fmt: skip
            event(f"{action.value}: done")
        except DomainError as error:
            event(f"{action.value}: {error.code}")

    @precondition(lambda self: bool(self.reports))
    @rule(pick=st.integers(0, 20), action=st.sampled_from(REPORT_ACTIONS),
          who=st.sampled_from(PEOPLE), back=st.integers(0, 3), inputs=st.integers(0, 4),
          stale=st.integers(0, 9))  # fmt: skip
    def act(self, pick: int, action: Action, who: str, back: int, inputs: int,
            stale: int) -> None:  # fmt: skip
        """Anybody, any action: mostly refused, and a refusal changes nothing."""
        report = self._report(pick)
        version = report.version - 1 if stale == 0 else report.version
        self._perform(report, action, who, version=version, back=back, inputs=bool(inputs))

    @precondition(lambda self: bool(self.reports))
    @rule(pick=st.integers(0, 20), choice=st.integers(0, 3), wait=st.integers(0, 20),
          clerk=st.booleans())  # fmt: skip
    def advance(self, pick: int, choice: int, wait: int, clerk: bool) -> None:
        """A move the table allows from the report's state (choice 0: a move back, withdraw
        or return for revision), by a person its row names (the clerk of two roles for
        staff's and the monitoring committee's rows, sometimes)."""
        report = self._report(pick)
        options = [r for r in report_rules_for(report.round)
                   if r.source is report.state and r.roles - {Role.SYSTEM}]  # fmt: skip
        if not options:
            return
        back = (Action.WITHDRAW, Action.RETURN_FOR_REVISION)
        moves = [r for r in options if (r.action in back) == (choice == 0)] or options
        move = moves[pick % len(moves)]  # choice 0: withdraw or return for revision
        role = sorted(move.roles - {Role.SYSTEM})[0]
        names = {Role.STAFF: "staff", Role.MONITORING_COMMITTEE: "monitoring",
                 Role.EXECUTIVE: "executive"}  # fmt: skip
        who = "clerk" if clerk and role in (Role.STAFF, Role.MONITORING_COMMITTEE) else names[role]
        self.clock.advance(timedelta(days=wait))
        self._perform(report, move.action, who, version=report.version)

    @precondition(lambda self: bool(self.reports))
    @rule(pick=st.integers(0, 20), steps=st.lists(st.integers(0, 5), min_size=2, max_size=7),
          wait=st.integers(0, 20), clerk=st.booleans())  # fmt: skip
    def run_of_moves(self, pick: int, steps: list[int], wait: int, clerk: bool) -> None:
        """Several forward moves in a row on one report, to reach the late states often."""
        for choice in steps:
            self.advance(pick, choice, wait, clerk)

    @rule(days=st.integers(0, 90))
    def time_passes(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))

    @rule()
    def the_scheduler_sweeps(self) -> None:
        done = sweep(self.engine, self.ctx, settings=SWEEP)
        self.reports.extend(done.opened)

    @invariant()
    def chains_verify(self) -> None:
        with Session(self.engine) as s:
            found = verify(s)
        assert found.intact, [b.as_dict() for b in found.breaks]

    @invariant()
    def one_live_report_a_year_and_round(self) -> None:
        with Session(self.engine) as s:
            live = [(r.fiscal_year_be, r.round) for r in s.exec(select(MonitoringReport))
                    if r.state is not ReportState.WITHDRAWN]  # fmt: skip
        assert len(live) == len(set(live))

    @invariant()
    def rows_are_the_replay_of_their_records(self) -> None:
        with Session(self.engine) as s:
            off = DaysOff.of([])
            for report in s.exec(select(MonitoringReport)):
                records = s.exec(select(ReportRecord).where(ReportRecord.report_id == report.id)
                                 .order_by(col(ReportRecord.seq))).all()  # fmt: skip
                assert [r.seq for r in records] == list(range(1, len(records) + 1))
                assert report.version == len(records)
                assert report.state.value == records[-1].to_state
                for before, after in pairwise(records):
                    assert after.from_state == before.to_state
                    assert after.effective_on >= before.effective_on
                on = {r.action: r.effective_on for r in records}
                assert report.presented_on == on.get("present")
                assert report.announced_on == on.get("announce")
                assert report.posted_on == on.get("post")
                assert (report.findings is not None) == ("approve" in on)
                clocks = s.exec(select(Deadline).where(Deadline.report_id == report.id)).all()
                self._check_clocks(report, {DeadlineKind(d.kind): d for d in clocks}, on, off)

    def _check_clocks(self, report: MonitoringReport, found: dict[DeadlineKind, Deadline],
                      on: dict[str, date], off: DaysOff) -> None:  # fmt: skip
        starts = {DeadlineKind.REPORT_ANNOUNCEMENT: on.get("present"),
                  DeadlineKind.MINIMUM_POSTING: on.get("post")}  # fmt: skip
        if report.round is ReportRound.ANNUAL:
            starts[DeadlineKind.YEARLY_REPORT] = date(report.fiscal_year_be - 543, 9, 30)
        assert set(found) == {k for k, v in starts.items() if v is not None}
        closers = {DeadlineKind.REPORT_ANNOUNCEMENT: on.get("announce"),
                   DeadlineKind.YEARLY_REPORT: on.get("announce"),
                   DeadlineKind.MINIMUM_POSTING: on.get("complete_posting")}  # fmt: skip
        for kind, clock in found.items():
            assert clock.start_on == starts[kind]
            status = DeadlineStatus(clock.status)
            if kind is DeadlineKind.YEARLY_REPORT:  # within December, whatever the counting
                assert clock.due_on == date(report.fiscal_year_be - 543, 12, 31)
            else:
                oracle = (DeadlineKind.POSTING if kind is DeadlineKind.REPORT_ANNOUNCEMENT
                          else kind)  # 15 days from the presentation, counted as posting
                assert (clock.due_on, clock.last_working_on) == expected_dates(
                    oracle, clock.start_on, mode=CountingMode(clock.mode),
                    conservative=clock.conservative, off=off)  # fmt: skip
            assert clock.last_working_on == act_by(clock.due_on, off)
            if status is DeadlineStatus.CANCELLED:
                assert "withdraw" in on and clock.closed_on == on["withdraw"]
            elif status is DeadlineStatus.OPEN:
                assert clock.closed_on is None and closers[kind] is None
            else:
                assert clock.closed_on is not None and clock.closed_on == closers[kind]
                on_time = kind is DeadlineKind.MINIMUM_POSTING or clock.closed_on <= clock.due_on
                assert status is (DeadlineStatus.MET if on_time else DeadlineStatus.LATE)
                if kind is DeadlineKind.MINIMUM_POSTING:
                    assert clock.closed_on >= clock.due_on  # never taken down early
        assert (report.state is ReportState.WITHDRAWN) == ("withdraw" in on)


SETTINGS = settings(max_examples=20, stateful_step_count=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
EXAMPLES = [pytest.param(8, id="few"), pytest.param(25, id="many", marks=pytest.mark.slow)]


@pytest.mark.parametrize("examples", EXAMPLES)
@pytest.mark.parametrize("kind", ENGINES)
def test_reports_under_law(kind: str, examples: int) -> None:
    if kind == "postgresql":
        postgres_url()  # skips (or fails in CI) without a server
    ENGINE_UNDER_TEST["kind"] = kind
    run_state_machine_as_test(ReportsUnderLaw, settings=settings(SETTINGS, max_examples=examples))
