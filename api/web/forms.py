"""The pages' forms and what they show: parsing submitted forms (dates, numbers, the
create-plan form), refusal reasons mapped to form fields, and the deadline lines (urgency,
holiday notes) and dashboard rows built from the workflow's read side."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from api.web import i18n
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanKind, TriggerKind
from models.organization import Organization
from models.store import PlanRow
from workflow import input_rules as rules
from workflow import queries
from workflow.calendar import WorkingCalendar
from workflow.commands import NewPlan
from workflow.errors import DomainError
from workflow.input_rules import InvalidInput
from workflow.scoped_reads import PlanDetail
from workflow.table import CLOCKS, DUTY_CLOCKS

E = TypeVar("E", bound=Enum)
T = TypeVar("T")
SOON_DAYS = 3
STALE_CODES = frozenset({"stale_version", "invalid_transition"})
# Which form field a refusal reason belongs next to; other reasons go above the form.
FIELD_OF_REASON = {
    "effective_in_future": "effective_on",
    "effective_before_previous": "effective_on",
    "effective_before_trigger": "effective_on",
    "reason_required": "comment",
    "places_required": "places",
    "title_required": "title",
    "fiscal_year_required": "fiscal_year_be",
    "trigger_outside_fiscal_year": "trigger_on",
    "trigger_in_future": "trigger_on",
    "trigger_kind_invalid": "trigger_kind",
    "annual_plan_exists": "fiscal_year_be",
    "likely_twin": "twin_ok",
    "extension_not_later": "new_due_on",
    "new_due_on_not_later": "new_due_on",
    # monitoring reports (workflow/report_commands.py)
    "findings_required": "findings",
    "recommendations_required": "recommendations",
    "report_exists": "fiscal_year_be",
    "no_plan_in_force": "fiscal_year_be",
}


@dataclass(frozen=True)
class DeadlineLine:
    kind: DeadlineKind
    label: tuple[str, str]
    clause: str
    start_on: date
    days: int
    mode: str
    due_on: date
    last_working_on: date
    status: DeadlineStatus
    extended: bool
    closed_on: date | None
    urgency: str  # ok | soon | late | closed | info
    days_left: int | None
    holiday: str | None  # the holiday the due date falls on ("" a weekend; None: working day)
    can_extend: bool
    extensions: tuple[tuple[date, date, str], ...]  # previous, new, reason


def deadline_lines(
    detail: PlanDetail, *, today: date, calendar: WorkingCalendar
) -> list[DeadlineLine]:
    return [
        line_of(
            view.deadline,
            today=today,
            calendar=calendar,
            can_extend=view.can_extend,
            extensions=tuple(
                (e.previous_due_on, e.new_due_on, e.reason) for e in view.extensions
            ),
        )
        for view in detail.deadlines
    ]


def line_of(
    d: Any,
    *,
    today: date,
    calendar: WorkingCalendar,
    can_extend: bool = False,
    extensions: tuple[tuple[date, date, str], ...] = (),
) -> DeadlineLine:
    """One clock (a plan's deadline or a report's clock row) as the pages show it."""
    kind = DeadlineKind(d.kind)
    status = DeadlineStatus(d.status)
    left = (d.due_on - today).days if status is DeadlineStatus.OPEN else None
    if status is not DeadlineStatus.OPEN:
        urgency = "closed"
    elif kind not in DUTY_CLOCKS:
        urgency = "info"
    elif left is not None and left < 0:
        urgency = "late"
    elif left is not None and left <= SOON_DAYS:
        urgency = "soon"
    else:
        urgency = "ok"
    holiday = None
    if urgency in ("ok", "soon", "late") and not calendar.is_working_day(d.due_on):
        holiday = calendar.holiday_name(d.due_on) or ""  # "": a Saturday or Sunday
    clock = CLOCKS[kind]
    return DeadlineLine(
        kind=kind,
        label=(clock.label_th, clock.label_en),
        clause=d.clause,
        start_on=d.start_on,
        days=d.days,
        mode=str(d.mode),
        due_on=d.due_on,
        last_working_on=d.last_working_on,
        status=status,
        extended=d.extended,
        closed_on=d.closed_on,
        urgency=urgency,
        days_left=left,
        holiday=holiday,
        can_extend=can_extend,
        extensions=extensions,
    )


def next_deadline(lines: list[DeadlineLine]) -> DeadlineLine | None:
    """The open duty due first; else an open minimum posting period."""
    duties = [x for x in lines if x.status is DeadlineStatus.OPEN and x.kind in DUTY_CLOCKS]
    if duties:
        return min(duties, key=lambda x: x.due_on)
    return next((x for x in lines if x.status is DeadlineStatus.OPEN), None)


@dataclass(frozen=True)
class DashboardRow:
    plan: PlanRow
    organization: Organization
    next: DeadlineLine | None
    actions: tuple[queries.ActionOption, ...]
    steps: NextSteps | None = None


@dataclass
class FormState:
    """A submitted form that was refused: the values, and the messages per field."""

    name: str
    values: dict[str, str]
    errors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    code: str = ""  # the refusal's code (stale_version, invalid_transition, ...), if any

    @property
    def stale(self) -> bool:
        """Refused because someone else acted first (another tab, another person)."""
        return self.code in STALE_CODES

    @property
    def general(self) -> list[tuple[str, str]]:
        return self.errors.get("", [])

    def add(self, field_name: str, th: str, en: str) -> None:
        self.errors.setdefault(field_name, []).append((th, en))


# Where a form names an input differently from the command (the extension's reason).
FORM_FIELD = {"reason": "comment"}


def refused_form(name: str, values: dict[str, str], error: DomainError) -> FormState:
    """The form again with each reason beside its field: an input rule names its field, a
    guard's reason is placed by its code."""
    state = FormState(name, values, code=error.code)
    for r in error.reasons:
        if isinstance(error, InvalidInput):
            state.add(FORM_FIELD.get(error.field, error.field), r.th, r.en)
        else:
            state.add(FIELD_OF_REASON.get(r.code, ""), r.th, r.en)
    return state


def ruled(state: FormState, check: Callable[[], T]) -> T | None:
    """An input rule applied to a form value: its value, or None with the rule's reason
    beside the field it names."""
    try:
        return check()
    except InvalidInput as refused:
        for r in refused.reasons:
            state.add(FORM_FIELD.get(refused.field, refused.field), r.th, r.en)
        return None


def parse_date(state: FormState, field_name: str, *, required: bool = True) -> date | None:
    """A date field as typed (วว/ดด/ปปปป in BE), by the core's rule `typed_date`."""
    raw = state.values.get(field_name, "").strip()
    if not raw:
        if required:
            state.add(field_name, "ต้องระบุวันที่ (วว/ดด/ปปปป พ.ศ.)", "a date is required")
        return None
    return ruled(state, lambda: rules.typed_date(raw, field=field_name))


def parse_int(state: FormState, field_name: str, *, low: int, high: int) -> int | None:
    raw = state.values.get(field_name, "").strip()
    try:
        value = int(raw)
    except ValueError:
        state.add(field_name, "ต้องเป็นตัวเลข", "a number is required")
        return None
    if not low <= value <= high:
        state.add(field_name, f"ต้องอยู่ระหว่าง {low}–{high}", f"must be {low}–{high}")
        return None
    return value
@dataclass(frozen=True)
class ActionForm:
    """What every action form carries: the legal date, the version seen, the places, the
    comment (a plan's and a report's forms alike)."""

    effective_on: date
    version: int
    places: tuple[str, ...]
    comment: str | None


def action_form(state: FormState, action: Action) -> ActionForm | None:
    """The action form's common fields, or None with the problems noted on the form (an
    irreversible action unticked among them)."""
    values = state.values
    if action.value in i18n.IRREVERSIBLE and values.get("confirm") != "yes":
        state.add("confirm", *i18n.LABELS["confirm_required"])
    effective_on = parse_date(state, "effective_on")
    version = parse_int(state, "expected_version", low=0, high=2**31 - 1)
    if state.errors or effective_on is None or version is None:
        return None
    places = tuple(p.strip() for p in values.get("places", "").splitlines() if p.strip())
    return ActionForm(effective_on, version, places, values.get("comment", "").strip() or None)




def _choice(form: FormState, field_name: str, enum: type[E], th: str, en: str) -> E | None:
    try:
        return enum(form.values.get(field_name, ""))
    except ValueError:
        form.add(field_name, th, en)
        return None


def _amount(form: FormState, field_name: str) -> Decimal | None:
    """An amount as typed (thousands separators allowed), by the money rule."""
    raw = form.values.get(field_name, "").replace(",", "").strip()
    if not raw:
        return None
    return ruled(form, lambda: rules.money(raw, field=field_name))


def parse_new_plan(form: FormState, *, organization_id: int) -> NewPlan | None:
    """The create-plan form as a NewPlan, or None with the problems noted on the form."""
    values = form.values
    trigger_on = parse_date(form, "trigger_on")
    kind = _choice(form, "kind", PlanKind, "ต้องเลือกประเภทแผน", "choose a kind")
    trigger = _choice(
        form, "trigger_kind", TriggerKind, "ต้องเลือกเหตุที่เริ่มแผน", "choose the trigger event"
    )
    amendment = kind is PlanKind.AMENDMENT
    raw_year = values.get("fiscal_year_be", "")
    year = None if amendment else ruled(form, lambda: rules.fiscal_year(raw_year))
    amends = parse_int(form, "amends_plan_id", low=1, high=2**31 - 1) if amendment else None
    budget = _amount(form, "budget_baht")
    title = ruled(form, lambda: rules.free_text(values.get("title", ""), field="title",
                                                max_length=rules.TITLE_MAX))
    if form.errors or title is None or kind is None or trigger is None or trigger_on is None:
        return None
    return NewPlan(
        organization_id=organization_id,
        kind=kind,
        trigger_kind=trigger,
        trigger_on=trigger_on,
        title=title,
        fiscal_year_be=year,
        trigger_note=values.get("trigger_note", "") or None,  # the rules run in the command
        budget_baht=budget,
        amends_plan_id=amends,
    )


@dataclass(frozen=True)
class NextSteps:
    """What the plan page and the dashboard say comes next: the actions open today, those
    that become possible later (with the day, where the table's clocks say it), and who is
    awaited when the person has nothing to do."""

    now: tuple[queries.ActionOption, ...]
    later: tuple[tuple[queries.ActionOption, date | None], ...]
    waiting: str | None  # the state's value, a key of i18n.WAITING


def next_steps(
    actions: tuple[queries.ActionOption, ...], lines: list[DeadlineLine], state: str
) -> NextSteps:
    minimum = next((x for x in lines if x.kind is DeadlineKind.MINIMUM_POSTING), None)
    now = tuple(o for o in actions if not o.blocked_by)
    later = tuple(
        (o, minimum.due_on if o.action is Action.COMPLETE_POSTING and minimum else None)
        for o in actions
        if o.blocked_by
    )
    moves = [o for o in now if o.action is not Action.WITHDRAW]
    return NextSteps(now, later, None if moves else state)
