"""The values of the progress sheet and its commands (docs/domain.md "Progress"): an item of
the plan in force with its latest entry, the sheet, what a write returns, a batch's lines, the
files an entry carries, and the refusals that name each field or each file cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from workflow.content_model import Problem
from workflow.errors import Reason, ValidationFailed
from workflow.progress_rules import FieldProblem, ItemKind


@dataclass(frozen=True)
class Item:
    """One row of the progress sheet: a project or equipment row of the plan in force."""

    kind: ItemKind
    id: str
    name: str
    planned_baht: Decimal
    group: str  # the project's strategy, the equipment's programme
    latest: Mapping[str, Any] | None = None  # its latest entry, as stored


@dataclass(frozen=True)
class Sheet:
    """The progress sheet of a plan in force: on which plan entries are kept, and the items."""

    plan_id: int  # the plan named
    chain_plan_id: int  # the annual plan, owner of the entries
    organization_id: int
    fiscal_year_be: int
    state: str
    items: tuple[Item, ...]
    announced_through: date | None = None  # the end of the latest announced report's round

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class Recorded:
    entry: dict[str, Any]
    warnings: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class FieldReason(Reason):
    """A reason naming its input field (the API lists these)."""

    field: str = ""


class ItemProgressInvalid(ValidationFailed):
    """One item's input breaks its rules: every problem, each with its field (422)."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        super().__init__(
            [FieldReason(p.reason.code, p.reason.th, p.reason.en, p.field) for p in problems]
        )
        self.problems = list(problems)


@dataclass(frozen=True)
class PlacedReason(Reason):
    sheet: str = ""
    row: int | None = None
    column: str | None = None


class BatchInvalid(ValidationFailed):
    """A batch (an imported sheet) with problems: nothing was written (422
    `workbook_invalid`, every problem with its sheet, row and column)."""

    code: ClassVar[str] = "workbook_invalid"

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(
            [PlacedReason(p.code, p.th, p.en, p.sheet, p.row, p.column) for p in problems]
        )
        self.problems = list(problems)


@dataclass(frozen=True)
class Line:
    """One item's input in a batch, and where it came from (sheet, row, a column per field)."""

    item_id: str
    data: Mapping[str, Any]
    sheet: str = ""
    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class File:
    """A photo or document carried by an entry (PDF, JPEG, PNG; the evidence store)."""

    data: bytes
    name: str | None = None
