"""The values and rules of progress (docs/domain.md "Progress"): a status, the budget committed
and disbursed, the dates started and finished, a note, as of a date. Pure: no database.

`check_progress` reads what a person typed (web form, API body, a spreadsheet row) and returns
the value, or every problem at once, each naming its field, in Thai and English. The rules:

- the status is one of the four of the plan's follow-up (ยังไม่ได้ดำเนินการ, อยู่ระหว่าง
  ดำเนินการ, แล้วเสร็จ, ยกเลิก), by code or by its Thai label;
- amounts are baht (`input_rules.money`: ≥ 0, two decimals); the amount disbursed is never
  more than the amount committed (a payment is made against an obligation: ก่อหนี้ผูกพัน then
  เบิกจ่าย); more than the item's planned budget is allowed with a warning (the plan's figure
  is not the appropriation: a transfer of budget, โอนงบประมาณ, can raise it);
- dates are typed in the Buddhist Era (`input_rules.typed_date`); started ≤ finished; neither
  after the as-of date, which is not after today; a finished date only when completed, and
  a completed item has one; a not-started item has neither date;
- the note is free text up to NOTE_MAX characters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from models.enums import ItemKind as ItemKind  # re-exported: the core's names
from models.enums import ProgressStatus as ProgressStatus
from models.thai_dates import to_be
from workflow import input_rules as rules
from workflow.as_of_rules import after_today  # the one rule of every as-of date
from workflow.errors import Reason, reason

NOTE_MAX = 1000
GENESIS = "0" * 64


STATUS_LABELS: dict[ProgressStatus, tuple[str, str]] = {
    ProgressStatus.NOT_STARTED: ("ยังไม่ได้ดำเนินการ", "Not started"),
    ProgressStatus.IN_PROGRESS: ("อยู่ระหว่างดำเนินการ", "In progress"),
    ProgressStatus.COMPLETED: ("แล้วเสร็จ", "Completed"),
    ProgressStatus.CANCELLED: ("ยกเลิก", "Cancelled"),
}
_BY_LABEL = {th: s for s, (th, _) in STATUS_LABELS.items()} | {
    en.lower(): s for s, (_, en) in STATUS_LABELS.items()
}
FIELDS = (
    "status",
    "committed_baht",
    "disbursed_baht",
    "started_on",
    "finished_on",
    "as_of",
    "note",
)


@dataclass(frozen=True)
class FieldProblem:
    """One input that breaks a rule: which field, and why."""

    field: str
    reason: Reason


@dataclass(frozen=True)
class Progress:
    """One item's progress as of a date (what an entry records)."""

    status: ProgressStatus
    committed_baht: Decimal
    disbursed_baht: Decimal
    started_on: date | None
    finished_on: date | None
    as_of: date
    note: str | None


class ProgressInvalid(rules.InvalidInput):
    """Every problem of one item's input (422 `validation_error`, each reason with its field)."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__([p.reason for p in problems], field=problems[0].field if problems else "")
        self.problems = problems


def status_of(raw: Any) -> ProgressStatus:
    """A status by its code or its Thai (or English) label."""
    text = str(raw or "").strip()
    for candidate in (text, text.lower()):
        if candidate in ProgressStatus.__members__.values():
            return ProgressStatus(candidate)
        if candidate in _BY_LABEL:
            return _BY_LABEL[candidate]
    labels = " / ".join(th for th, _ in STATUS_LABELS.values())
    raise rules.InvalidInput(
        [
            reason(
                "progress_status",
                f"สถานะต้องเป็น {labels}",
                "the status is one of not_started, in_progress, completed, cancelled",
            )
        ],
        field="status",
    )


def _date(raw: Any, field: str) -> date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, date):
        return rules.legal_date(raw, field=field)
    return rules.typed_date(str(raw), field=field)


def _money(raw: Any, field: str) -> Decimal:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Decimal("0.00")
    text = raw.replace(",", "").strip() if isinstance(raw, str) else raw
    return rules.money(text, field=field)


def _read(data: Mapping[str, Any], today: date) -> tuple[dict[str, Any], list[FieldProblem]]:
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    readers: dict[str, Any] = {
        "status": lambda v, f: status_of(v),
        "committed_baht": _money,
        "disbursed_baht": _money,
        "started_on": _date,
        "finished_on": _date,
        "as_of": lambda v, f: _date(v, f) or today,
        "note": lambda v, f: rules.optional_text(
            None if v is None else str(v), field=f, max_length=NOTE_MAX, multiline=True
        ),
    }
    for name, read in readers.items():
        try:
            values[name] = read(data.get(name), name)
        except rules.InvalidInput as err:
            problems += [FieldProblem(err.field or name, r) for r in err.reasons]
    return values, problems


def _p(field: str, code: str, th: str, en: str) -> FieldProblem:
    return FieldProblem(field, reason(code, th, en))


def _future(as_of: date, today: date) -> FieldProblem | None:
    found = after_today(as_of, today)
    return None if found is None else FieldProblem("as_of", found)


def _cross(v: Mapping[str, Any], today: date) -> list[FieldProblem]:
    """The rules between fields (docs/domain.md "Progress")."""
    status, started, finished, as_of = v["status"], v["started_on"], v["finished_on"], v["as_of"]
    found: list[FieldProblem | None] = [
        _future(as_of, today),
        _p(
            "disbursed_baht",
            "progress_disbursed_over_committed",
            "เบิกจ่ายแล้วต้องไม่เกินจำนวนที่ก่อหนี้ผูกพัน",
            "the amount disbursed is not more than the amount committed",
        )
        if v["disbursed_baht"] > v["committed_baht"]
        else None,
        _p(
            "started_on",
            "progress_started_after_as_of",
            "วันที่เริ่มต้องไม่เลยวันที่ข้อมูล",
            "the start date is not after the as-of date",
        )
        if started is not None and started > as_of
        else None,
        _p(
            "finished_on",
            "progress_finished_after_as_of",
            "วันที่แล้วเสร็จต้องไม่เลยวันที่ข้อมูล",
            "the finish date is not after the as-of date",
        )
        if finished is not None and finished > as_of
        else None,
        _p(
            "finished_on",
            "progress_finished_before_started",
            "วันที่แล้วเสร็จต้องไม่ก่อนวันที่เริ่ม",
            "the finish date is not before the start date",
        )
        if started is not None and finished is not None and finished < started
        else None,
    ]
    found += _status_rules(status, started, finished)
    return [p for p in found if p is not None]


def _status_rules(
    status: ProgressStatus, started: date | None, finished: date | None
) -> list[FieldProblem | None]:
    done = status is ProgressStatus.COMPLETED
    return [
        _p(
            "finished_on",
            "progress_finished_not_completed",
            "ระบุวันที่แล้วเสร็จได้เฉพาะรายการที่แล้วเสร็จ",
            "a finish date is given only for a completed item",
        )
        if finished is not None and not done
        else None,
        _p(
            "finished_on",
            "progress_completed_without_finish",
            "รายการที่แล้วเสร็จต้องระบุวันที่แล้วเสร็จ",
            "a completed item has its finish date",
        )
        if done and finished is None
        else None,
        _p(
            "started_on",
            "progress_started_required",
            "รายการที่ดำเนินการแล้วต้องระบุวันที่เริ่ม",
            "an item in progress or completed has its start date",
        )
        if status in (ProgressStatus.IN_PROGRESS, ProgressStatus.COMPLETED) and started is None
        else None,
        _p(
            "started_on",
            "progress_not_started_with_date",
            "รายการที่ยังไม่ได้ดำเนินการต้องไม่มีวันที่เริ่ม",
            "an item not started has no start date",
        )
        if status is ProgressStatus.NOT_STARTED and started is not None
        else None,
    ]


def check_progress(data: Mapping[str, Any], *, today: date) -> Progress:
    """The progress typed for one item, or `ProgressInvalid` with every problem."""
    values, problems = _read(data, today)
    if not problems:
        problems = _cross(values, today)
    if problems:
        raise ProgressInvalid(problems)
    return Progress(**values)


def later_than(progress: Progress, previous_as_of: date | None) -> list[FieldProblem]:
    """The as-of date never goes back: an entry is as of its latest entry's date or later."""
    if previous_as_of is None or progress.as_of >= previous_as_of:
        return []
    shown = to_be(previous_as_of.year)
    day = f"{previous_as_of.day}/{previous_as_of.month}/{shown}"
    return [
        _p(
            "as_of",
            "progress_as_of_before_latest",
            f"วันที่ข้อมูลต้องไม่ก่อนข้อมูลล่าสุดของรายการนี้ ({day})",
            f"the as-of date is not before the item's latest entry ({previous_as_of})",
        )
    ]


def warnings(progress: Progress, planned_baht: Decimal) -> list[Reason]:
    """What is allowed but said (docs/domain.md "Progress"): more than the planned budget."""
    if max(progress.committed_baht, progress.disbursed_baht) <= planned_baht:
        return []
    return [
        reason(
            "progress_over_planned_budget",
            f"จำนวนเงินเกินงบประมาณตามแผน ({planned_baht:,.2f} บาท)",
            f"the amount is more than the planned budget ({planned_baht:,.2f} baht)",
        )
    ]


def entry_hash(values: Mapping[str, Any]) -> str:
    """The SHA-256 of an entry's canonical JSON (every field but its id and hash; the previous
    entry's hash included), as plan records are hashed (workflow/audit.py)."""
    content = {k: _plain(v) for k, v in values.items() if k not in ("id", "hash")}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
