"""A spreadsheet into a draft's whole content (docs/domain.md "Spreadsheets"): every sheet
read, every row checked by the same input rules as typed input, all or nothing. Ids of the
draft's projects are kept when the file names them (localplan's hidden id column) or when a
row has the same name, place and group. Never writes: the caller stores the result with
`replace_content`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from documents import workbook_text as t
from documents.workbook_grid import Grid, read_grids
from documents.workbook_meta import Meta, group_label, read_meta
from documents.workbook_parse import RawRow, SheetReader
from documents.workbook_safety import Limits, WorkbookRefused, refuse
from workflow import content_model as cm
from workflow.input_rules import InvalidInput

_ID = re.compile(r"^[0-9a-f]{32}$")
PLACEHOLDER: dict[str, Any] = {
    "strategy_id": "x", "programme": "x", "number": 1, "name": "x", "activity": "x",
    "budget_baht": "0", "location": "x", "unit": "x", "months": [10], "type": "x",
    "target": "x", "category": "x", "tactic": None, "village": None, "funding_note": None,
    "dev_plan": None, "funding": "other", "ownership": "own",
}  # fmt: skip


def import_workbook(data: bytes, *, current: cm.Content, limits: Limits) -> cm.Content:
    """The content the file holds, ids kept from `current`; raises `WorkbookRefused` with
    every problem when anything is wrong."""
    grids = read_grids(data, limits)
    readers, meta, procurement = _read_sheets(grids)
    if not any(r.layout is not None or r.rows for r in readers):
        if procurement:
            raise refuse(
                "workbook_procurement",
                "ไฟล์นี้เป็นแผนการจัดหาพัสดุ (แบบ ผด.2) ไม่ใช่บัญชีโครงการของแผนการดำเนินงาน "
                "(แบบ ผด.02 หรือ ผด.02/1)",
                "this is a procurement plan (แบบ ผด.2, แผนการจัดหาพัสดุ), not the operational"
                " plan's project list (ผด.02 or ผด.02/1)",
                sheet=procurement,
            )  # fmt: skip
        raise refuse(
            "workbook_wrong_layout",
            "ไม่พบตารางแบบ ผด.02 หรือ ผด.02/1 (หัวตารางที่มี ที่ และ งบประมาณ)",
            "no ผด.02 or ผด.02/1 table found (a header with ที่ and งบประมาณ)",
        )  # fmt: skip
    builder = _Builder(current, meta or Meta())
    for reader in readers:
        builder.problems += reader.problems
        for row in reader.rows:
            builder.add(row)
    return builder.finish()


def _read_sheets(grids: list[Grid]) -> tuple[list[SheetReader], Meta | None, str]:
    readers: list[SheetReader] = []
    meta: Meta | None = None
    procurement = ""
    for grid in grids:
        if grid.title == t.META_SHEET:
            meta = read_meta(grid)
            continue
        top = " ".join(t.text(v) for row in grid.values[:8] for v in row if t.is_mark(v))
        if any(word in top for word in t.PROCUREMENT):
            procurement = procurement or grid.title
            continue
        reader = SheetReader(grid)
        reader.read()
        readers.append(reader)
    return readers, meta, procurement


class _Builder:
    def __init__(self, current: cm.Content, meta: Meta) -> None:
        self.current, self.meta = current, meta
        self.problems: list[cm.Problem] = []
        self.strategies: dict[int, cm.Strategy] = {}
        self.projects: list[cm.Project] = []
        self.equipment: list[cm.Equipment] = []
        self.used: set[str] = set()

    def add(self, row: RawRow) -> None:
        if row.kind == "equipment":
            item_id = self._id(row.id, lambda: self._known_equipment(row))
            self._check(row, lambda d: cm.equipment_from_input(d, equipment_id=item_id))
            return
        if row.strategy is None:
            self._problem(
                row, None, "workbook_no_strategy", "ไม่มีแถวยุทธศาสตร์อยู่เหนือโครงการนี้",
                "no ยุทธศาสตร์ row above this project",
            )  # fmt: skip
            return
        strategy = self._strategy(*row.strategy)
        item_id = self._id(row.id, lambda: self._known_project(row, strategy))
        extra = self.meta.projects.get(item_id, {})
        data = {**row.data, "strategy_id": strategy.id, **_extras(extra, row.data)}
        self._check(row, lambda d: cm.project_from_input(d, project_id=item_id), data)

    def _check(self, row: RawRow, build: Callable[[dict[str, Any]], Any], data: Any = None) -> (
        None
    ):
        """Every field's problem, not only the first: a failing field is set aside (a valid
        stand-in) and the row checked again."""
        data = dict(row.data if data is None else data)
        for _ in range(len(PLACEHOLDER)):
            try:
                item = build(data)
            except InvalidInput as exc:
                for r in exc.reasons:
                    self._problem(row, row.columns.get(exc.field), r.code, r.th, r.en)
                if exc.field not in PLACEHOLDER or data.get(exc.field) == PLACEHOLDER[exc.field]:
                    return
                data[exc.field] = PLACEHOLDER[exc.field]
                continue
            if not any(p.row == row.row and p.sheet == row.sheet for p in self.problems):
                (self.equipment if row.kind == "equipment" else self.projects).append(item)
            return

    def _problem(self, row: RawRow, col: str | None, code: str, th: str, en: str) -> None:
        self.problems.append(cm.Problem(row.sheet, row.row, col, code, th, en))

    def _id(self, given: str | None, known: Callable[[], str | None]) -> str:
        found = given if given and _ID.match(given) and given not in self.used else known()
        item_id = found if found and found not in self.used else cm.new_id()
        self.used.add(item_id)
        return item_id

    def _known_project(self, row: RawRow, strategy: cm.Strategy) -> str | None:
        key = (row.data.get("name"), row.data.get("location"), row.data.get("programme"))
        old = self.current.strategies
        names = {s.id: s.name for s in old}
        for p in self.current.projects:
            same_group = names.get(p.strategy_id) == strategy.name
            if same_group and (p.name, p.location, p.programme) == key and p.id not in self.used:
                return p.id
        return None

    def _known_equipment(self, row: RawRow) -> str | None:
        key = (row.data.get("type"), row.data.get("target"), row.data.get("programme"))
        for e in self.current.equipment:
            if (e.type, e.target, e.programme) == key and e.id not in self.used:
                return e.id
        return None

    def _strategy(self, number: int | None, name: str) -> cm.Strategy:
        for s in self.strategies.values():
            if (number is None or s.number == number) and s.name == name:
                return s
        n = number if number is not None else max(self.strategies, default=0) + 1
        known = self.meta.strategies.get(n, ("", ""))[0] or next(
            (s.id for s in self.current.strategies if s.name == name), None
        )
        strategy = cm.Strategy(self._id(known, lambda: None), n, name)
        self.strategies[n] = strategy
        return strategy

    def finish(self) -> cm.Content:
        intro = self.meta.introduction
        introduction = self.current.introduction
        changes = self.current.changes
        if intro:
            introduction = cm.introduction_from_input(intro)
            changes = tuple(
                cm.Change(cm.ChangeKind(c["kind"]), c["project_id"], c["reason"])
                for c in self.meta.changes
            )
        for n, (strategy_id, name) in self.meta.strategies.items():
            if n not in self.strategies and name:  # a strategy with no project yet
                self.strategies[n] = cm.Strategy(self._id(strategy_id, lambda: None), n, name)
        if self.problems:
            raise WorkbookRefused("workbook_invalid", self.problems)
        content = cm.Content(
            introduction, tuple(sorted(self.strategies.values(), key=lambda s: s.number)),
            tuple(self.projects), tuple(self.equipment), changes,
        )  # fmt: skip
        try:
            return cm.check_content(content)
        except InvalidInput as exc:
            raise WorkbookRefused(
                "workbook_invalid", [cm.Problem("", None, exc.field, r.code, r.th, r.en)
                                     for r in exc.reasons],
            ) from None  # fmt: skip


def _extras(extra: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """What the meta sheet adds for a known id; its exact programme and tactic names when the
    group rows still say the same."""
    out = {k: v for k, v in extra.items() if k not in ("programme", "tactic")}
    for key, prefixes in (("programme", ("แผนงาน",)), ("tactic", ("กลยุทธ์", "แนวทาง"))):
        exact = extra.get(key)
        if exact and data.get(key) == group_label(prefixes, exact):
            out[key] = exact
    return out
