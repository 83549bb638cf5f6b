"""Hypothesis stateful test: random actions, actors, dates and calendar changes never break the
invariants: every chain verifies, each state equals the replay of its history, and the
deadlines agree with the dates recorded and the calendar in force.

The deadlines are checked against a day-counting oracle of this file, written from
docs/domain.md "The three clocks" and "Counting days" (not with the code under test), and the
oracle itself against the worked examples' dates, written out."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

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

from models.audit import TransitionRecord
from models.calendar import HolidayOverlay
from models.clock import FixedClock, bangkok_noon, today_bangkok
from models.db import make_engine
from models.deadline import Deadline
from models.enums import (
    Action,
    CountingMode,
    DeadlineKind,
    DeadlineStatus,
    OverlayKind,
    PlanKind,
    PlanState,
    Role,
)
from models.plan import Plan
from tests.conftest import HOLIDAYS_2018
from tests.databases import ENGINES, databases, postgres_url
from tests.factories import create, make_office, new_plan, perform_action
from tests.helpers import PLACES, REASON
from workflow import uow
from workflow.actors import SYSTEM
from workflow.audit import verify
from workflow.calendar import WorkingCalendar, fiscal_year_be
from workflow.commands import Context, extend_deadline
from workflow.deadlines import terms
from workflow.errors import DomainError
from workflow.overlay import OverlayEntry, change_overlay
from workflow.policy import WorkflowPolicy
from workflow.table import RULES, rules_from

# Every action of a plan row (a report's own: tests/workflow/test_report_matrix.py).
MOVES = [a for a in Action if a not in (Action.CREATE, Action.EXTEND_DEADLINE, Action.CORRECT)
         and any(r.action is a for r in RULES)]
ROLES = [Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE, Role.AUDITOR, Role.SYSTEM]
ENGINE_UNDER_TEST = {"kind": "sqlite"}

# --- the oracle: docs/domain.md "The three clocks", counted by hand --------------------------

DAYS = {DeadlineKind.PREPARATION: 30, DeadlineKind.POSTING: 15, DeadlineKind.MINIMUM_POSTING: 30}
ONE_DAY = timedelta(days=1)
PACKAGE = WorkingCalendar()  # the `holidays` package's days off alone (no overlay)


@dataclass(frozen=True)
class DaysOff:
    """Saturdays, Sundays and holidays: the seed's, with the overlay's rows applied (an added
    day is off, a removed day is a working day)."""

    seed: Callable[[date], bool]
    added: frozenset[date] = frozenset()
    removed: frozenset[date] = frozenset()

    @classmethod
    def of(cls, rows: Iterable[HolidayOverlay]) -> DaysOff:
        entries = list(rows)
        return cls(
            seed=lambda day: PACKAGE.holiday_name(day) is not None,
            added=frozenset(r.day for r in entries if r.kind is OverlayKind.ADD),
            removed=frozenset(r.day for r in entries if r.kind is OverlayKind.REMOVE),
        )

    def working(self, day: date) -> bool:
        if day.weekday() in (5, 6) or day in self.added:
            return False
        return day in self.removed or not self.seed(day)


def last_counted_day(start: date, days: int) -> date:
    """'Within `days` days from `start`': the start day is not counted, the first counted day
    is the next one."""
    day = start
    for _ in range(days):
        day += ONE_DAY
    return day


def act_by(due: date, off: DaysOff) -> date:
    """The working-day advice: the last working day on or before the due date."""
    while not off.working(due):
        due -= ONE_DAY
    return due


def expected_dates(
    kind: DeadlineKind, start: date, *, mode: CountingMode, conservative: bool, off: DaysOff
) -> tuple[date, date]:
    """(due date, act by) of a clock started on `start`. Preparation and posting: the last
    counted day, which civil counting moves to the next working day when it is not one.
    Minimum posting: the notice may come down the day after the last counted day, or (when
    `conservative`) the day after the next working day on or after it."""
    last = last_counted_day(start, DAYS[kind])
    if kind is DeadlineKind.MINIMUM_POSTING:
        while conservative and not off.working(last):
            last += ONE_DAY
        due = last + ONE_DAY
    else:
        due = last
        while mode is CountingMode.CIVIL and not off.working(due):
            due += ONE_DAY
    return due, act_by(due, off)


class PlansUnderLaw(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        url, self.drop = databases(ENGINE_UNDER_TEST["kind"]).new()
        self.engine = make_engine(url)
        self.clock = FixedClock(bangkok_noon(date(2018, 9, 21)))
        self.office = make_office(self.engine, self.clock, "6660603")
        self.ctx = Context(WorkflowPolicy(), self.clock)
        self.plans: list[int] = []

    def teardown(self) -> None:
        self.engine.dispose()
        self.drop()

    @initialize(
        mode=st.sampled_from(CountingMode), committee=st.booleans(), conservative=st.booleans()
    )
    def choose_policy(self, mode: CountingMode, committee: bool, conservative: bool) -> None:
        self.ctx = Context(
            WorkflowPolicy(
                counting_mode=mode,
                amendment_requires_committee=committee,
                conservative_minimum_posting=conservative,
            ),
            self.clock,
        )
        self.create(PlanKind.ANNUAL, 1, 0)
        self.create(PlanKind.SUPPLEMENTARY, 0, 0)

    def today(self) -> date:
        return today_bangkok(self.clock)

    @rule(kind=st.sampled_from(PlanKind), back=st.integers(0, 40), pick=st.integers(0, 50))
    def create(self, kind: PlanKind, back: int, pick: int) -> None:
        amends = self.plans[pick % len(self.plans)] if self.plans else None
        trigger = self.today() - timedelta(days=back)
        year = fiscal_year_be(trigger) + 1
        new = new_plan(
            self.office,
            kind,
            amends=amends if kind is PlanKind.AMENDMENT else None,
            trigger_on=trigger,
            year=year,
        )
        actor = self.office.executive if kind is PlanKind.AMENDMENT else self.office.staff
        try:
            plan = create(self.engine, self.ctx, new, actor)
        except DomainError:
            return
        self.plans.append(plan.id or 0)

    @precondition(lambda self: bool(self.plans))
    @rule(
        pick=st.integers(0, 50),
        action=st.sampled_from(MOVES),
        role=st.sampled_from(ROLES) | st.none(),
        back=st.integers(0, 3),
        inputs=st.integers(0, 5),
        stale=st.integers(0, 9),
    )
    def act(
        self, pick: int, action: Action, role: Role | None, back: int, inputs: int, stale: int
    ) -> None:
        """Mostly the right person with the right inputs (so plans move), sometimes not."""
        plan_id = self.plans[pick % len(self.plans)]
        if role is None:
            role = next(r for rule in RULES if rule.action is action for r in sorted(rule.roles))
        with Session(self.engine) as s:
            plan = s.get(Plan, plan_id)
            assert plan is not None
            version = plan.version - 1 if stale == 0 else plan.version
        actor = SYSTEM if role is Role.SYSTEM else self.office.by_role(role)
        try:
            perform_action(
                self.engine,
                self.ctx,
                plan_id,
                action,
                actor,
                expected_version=version,
                effective_on=self.today() - timedelta(days=back),
                comment=REASON if inputs else None,
                places=PLACES if inputs else (),
            )
            event(f"{action.value}: done")
        except DomainError as error:
            event(f"{action.value}: {error.code}")

    @precondition(lambda self: bool(self.plans))
    @rule(pick=st.integers(0, 50), choice=st.integers(0, 3), wait=st.integers(0, 35))
    def advance(self, pick: int, choice: int, wait: int) -> None:
        """A move the table allows from the plan's state, by the right person, after `wait`
        days: this drives plans deep into the workflow."""
        plan_id = self.plans[pick % len(self.plans)]
        with Session(self.engine) as s:
            plan = s.get(Plan, plan_id)
            assert plan is not None
            options = rules_from(plan.kind, plan.state, self.ctx.policy)
            version = plan.version
        if not options:
            return
        moves = [r for r in options if r.action is not Action.WITHDRAW] or options
        move = options[0] if choice == 0 else moves[choice % len(moves)]
        actor = self.office.by_role(sorted(move.roles - {Role.SYSTEM})[0])
        self.clock.advance(timedelta(days=wait))
        try:
            perform_action(
                self.engine,
                self.ctx,
                plan_id,
                move.action,
                actor,
                expected_version=version,
                comment=REASON,
                places=PLACES,
            )
            event(f"advance {move.action.value}: done")
        except DomainError as error:
            event(f"advance {move.action.value}: {error.code}")

    @precondition(lambda self: bool(self.plans))
    @rule(
        pick=st.integers(0, 50),
        choices=st.lists(st.integers(1, 3), min_size=2, max_size=7),
        wait=st.integers(0, 20),
    )
    def run_of_moves(self, pick: int, choices: list[int], wait: int) -> None:
        """Several allowed moves in a row on one plan, to reach the late states often."""
        for choice in choices:
            self.advance(pick, choice, wait)

    @precondition(lambda self: bool(self.plans))
    @rule(pick=st.integers(0, 50), days=st.integers(-3, 30))
    def extend(self, pick: int, days: int) -> None:
        plan_id = self.plans[pick % len(self.plans)]
        with Session(self.engine) as s:
            plan = s.get(Plan, plan_id)
            assert plan is not None
            version = plan.version
            prep = s.exec(
                select(Deadline).where(
                    Deadline.plan_id == plan_id, Deadline.kind == DeadlineKind.PREPARATION
                )
            ).first()
        new_due = (prep.due_on if prep else self.today()) + timedelta(days=days)
        with contextlib.suppress(DomainError):
            uow.run(
                self.engine,
                self.clock,
                lambda s: extend_deadline(
                    s,
                    self.ctx,
                    plan_id=plan_id,
                    kind=DeadlineKind.PREPARATION,
                    actor=self.office.executive,
                    expected_version=version,
                    new_due_on=new_due,
                    reason_text=REASON,
                ),
            )

    @rule(days=st.integers(0, 20))
    def time_passes(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))

    @rule(
        offset=st.integers(-5, 60),
        kind=st.sampled_from([OverlayKind.ADD, OverlayKind.REMOVE, None]),
    )
    def calendar_changes(self, offset: int, kind: OverlayKind | None) -> None:
        entry = OverlayEntry(self.today() + timedelta(days=offset), kind, "ทดสอบ", "มติ ครม.")
        uow.run(
            self.engine,
            self.clock,
            lambda s: change_overlay(
                s, entry=entry, actor=self.office.admin, clock=self.clock, policy=self.ctx.policy
            ),
        )

    @invariant()
    def chains_verify_and_states_replay(self) -> None:
        with Session(self.engine) as s:
            report = verify(s)
        assert report.intact, report.breaks

    @invariant()
    def deadlines_agree_with_the_recorded_dates(self) -> None:
        with Session(self.engine) as s:
            off = DaysOff.of(s.exec(select(HolidayOverlay)))
            for plan in s.exec(select(Plan)):
                records = s.exec(
                    select(TransitionRecord)
                    .where(TransitionRecord.plan_id == plan.id)
                    .order_by(col(TransitionRecord.seq))
                ).all()
                on = {r.action: r.effective_on for r in records}
                found = {
                    DeadlineKind(d.kind): d
                    for d in s.exec(select(Deadline).where(Deadline.plan_id == plan.id))
                }
                starts = {
                    DeadlineKind.POSTING: on.get("announce"),
                    DeadlineKind.MINIMUM_POSTING: on.get("post"),
                }
                if plan.kind is not PlanKind.AMENDMENT:
                    starts[DeadlineKind.PREPARATION] = plan.trigger_on
                assert set(found) == {k for k, v in starts.items() if v is not None}
                closers = {
                    DeadlineKind.PREPARATION: on.get("announce") or on.get("withdraw"),
                    DeadlineKind.POSTING: on.get("post"),
                    DeadlineKind.MINIMUM_POSTING: on.get("complete_posting"),
                }
                for kind, deadline in found.items():
                    assert deadline.start_on == starts[kind]
                    assert deadline.closed_on == closers[kind]
                    self._check_dates(plan, kind, deadline, off, on)

    def _check_dates(
        self, plan: Plan, kind: DeadlineKind, deadline: Deadline, off: DaysOff, on: dict[str, date]
    ) -> None:
        status = DeadlineStatus(deadline.status)
        if status is DeadlineStatus.OPEN:
            if not deadline.extended:
                want = expected_dates(
                    kind,
                    deadline.start_on,
                    mode=CountingMode(deadline.mode),
                    conservative=deadline.conservative,
                    off=off,
                )
                assert (deadline.due_on, deadline.last_working_on) == want
            assert deadline.last_working_on == act_by(deadline.due_on, off)
        elif status is DeadlineStatus.CANCELLED:
            assert "withdraw" in on
        else:
            assert deadline.closed_on is not None
            # met when done by the end of the due date; the minimum period cannot end early
            on_time = kind is DeadlineKind.MINIMUM_POSTING or deadline.closed_on <= deadline.due_on
            assert status is (DeadlineStatus.MET if on_time else DeadlineStatus.LATE)
            if kind is DeadlineKind.MINIMUM_POSTING:
                assert deadline.closed_on >= deadline.due_on  # never taken down early
        assert (plan.state is PlanState.WITHDRAWN) == ("withdraw" in on)


SETTINGS = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# The quick run (`-m "not slow"`) keeps a few examples; the full run has them all.
EXAMPLES = [pytest.param(5, id="few"), pytest.param(30, id="many", marks=pytest.mark.slow)]


@pytest.mark.parametrize("examples", EXAMPLES)
@pytest.mark.parametrize("kind", ENGINES)
def test_plans_under_law(kind: str, examples: int) -> None:
    if kind == "postgresql":
        postgres_url()  # skips (or fails in CI) without a server
    ENGINE_UNDER_TEST["kind"] = kind
    run_state_machine_as_test(PlansUnderLaw, settings=settings(SETTINGS, max_examples=examples))


# The worked examples of docs/domain.md (their holidays): the oracle, and the deadlines of the
# code under test, give the dates written out here.
WORKED = [
    # clock, started on, counting, due on (minimum posting: may come down from), act by
    ("posting", "Thu 2018-10-25", "strict", "Fri 2018-11-09", "Fri 2018-11-09"),
    ("posting", "Mon 2018-10-08", "strict", "Tue 2018-10-23", "Mon 2018-10-22"),
    ("posting", "Mon 2018-10-08", "civil", "Wed 2018-10-24", "Wed 2018-10-24"),
    ("minimum_posting", "Fri 2018-10-26", "strict", "Mon 2018-11-26", "Mon 2018-11-26"),
    ("minimum_posting", "Fri 2018-10-26", "conservative", "Tue 2018-11-27", "Tue 2018-11-27"),
    ("preparation", "Thu 2018-09-20", "strict", "Sat 2018-10-20", "Fri 2018-10-19"),
    ("preparation", "Thu 2018-09-20", "civil", "Mon 2018-10-22", "Mon 2018-10-22"),
    ("posting", "Thu 2018-12-20", "strict", "Fri 2019-01-04", "Fri 2019-01-04"),
]


def written(text: str) -> date:
    """A date written "Thu 2018-10-25" (the weekday is checked too)."""
    weekday, iso = text.split()
    day = date.fromisoformat(iso)
    assert day.strftime("%a") == weekday, text
    return day


@pytest.mark.parametrize(("clock", "start", "counting", "due", "by"), WORKED)
def test_worked_examples(clock: str, start: str, counting: str, due: str, by: str) -> None:
    kind, conservative = DeadlineKind(clock), counting == "conservative"
    mode = CountingMode.STRICT if conservative else CountingMode(counting)
    off = DaysOff(seed=HOLIDAYS_2018.__contains__)
    oracle = expected_dates(kind, written(start), mode=mode, conservative=conservative, off=off)
    policy = WorkflowPolicy(counting_mode=mode, conservative_minimum_posting=conservative)
    calendar = WorkingCalendar.from_days(HOLIDAYS_2018)
    found = terms(kind, written(start), policy=policy, calendar=calendar)
    assert oracle == (found.due_on, found.last_working_on) == (written(due), written(by))
