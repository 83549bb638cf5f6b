"""The transparency checklist (docs/domain.md "The transparency checklist"): for an ITA year
(workflow/ita_data.py) and a set of organizations, each item's status, the public pages that
satisfy it, and what is missing.

Statuses: `ok` (a rule found what satisfies the item), `unknown` (the rule cannot tell yet),
`not_yet` (not satisfied, and the assessment's evidence window has not opened), `missing`
(not satisfied, the window open or past). Each rule of workflow/ita_rules.py answers for all
the organizations at once, so one checklist costs one statement per item plus the
organizations' own, whatever their number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlmodel import Session, col, select

from models.organization import Organization
from models.visibility import sees, visible
from workflow import org_search
from workflow.actors import Actor
from workflow.errors import NotFound, reason
from workflow.ita_data import ItaDataError, ItaItem, ItaYear, available_years, load_year
from workflow.ita_rules import RULES, Found
from workflow.scoped_reads import require_auditor

OK, MISSING, NOT_YET, UNKNOWN = "ok", "missing", "not_yet", "unknown"
STATUSES = (OK, MISSING, NOT_YET, UNKNOWN)
Status = Literal["ok", "missing", "not_yet", "unknown"]
STATUS_TH = {OK: "มีแล้ว", MISSING: "ยังไม่มี", NOT_YET: "ยังไม่ถึงช่วงประเมิน", UNKNOWN: "ยังตรวจไม่ได้"}


@dataclass(frozen=True)
class Line:
    """One item of one organization's checklist."""

    code: str
    title: str
    title_en: str
    fiscal_year: int
    satisfied_with: str
    status: str
    links: tuple[str, ...] = ()
    note_th: str = ""
    note_en: str = ""
    satisfied_with_th: str = ""


@dataclass
class Row:
    """One organization's checklist for an ITA year."""

    organization_id: int
    code: str
    name: str
    province: str
    items: list[Line] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [line.code for line in self.items if line.status == MISSING]


@dataclass(frozen=True)
class ScopeFilters:
    province: str | None = None
    organization: str | None = None  # a code, or a part of the name
    status: str | None = None  # only organizations with an item of this status
    item: str | None = None  # with `status`: only that item counts


def year_data(year: int) -> ItaYear:
    """The ITA year's data, or NotFound naming the years there are."""
    try:
        return load_year(year)
    except ItaDataError as error:
        known = ", ".join(str(y) for y in available_years())
        th = f"ไม่มีข้อมูล ITA ปี {year} (มี: {known})"
        en = f"no ITA data for {year} (there is: {known}); {error}"
        raise NotFound([reason("ita_year_not_found", th, en)]) from error


def status_of(found: Found | None, *, today: date, ita: ItaYear) -> str:
    """The item's status from what its rule found and where today stands to the window."""
    if found is not None and found.satisfied:
        return OK
    if found is not None and found.satisfied is None:
        return UNKNOWN
    return NOT_YET if today < ita.window.start else MISSING


def _line(item: ItaItem, found: Found | None, status: str) -> Line:
    return Line(
        item.code, item.title, item.title_en, item.fiscal_year, item.satisfied_with, status,
        found.links if found else (), found.note_th if found else "",
        found.note_en if found else "", item.satisfied_with_th,
    )  # fmt: skip


def assess(
    session: Session, ita: ItaYear, organizations: Sequence[Organization], *, today: date
) -> list[Row]:
    """The checklist of each organization, in the order given (one statement per item)."""
    ids = [o.id for o in organizations if o.id is not None]
    found = {item.code: RULES[item.satisfied_by](session, ids, item) for item in ita.items}
    rows = []
    for org in organizations:
        row = Row(org.id or 0, org.code, org.name, org.province)
        for item in ita.items:
            hit = found[item.code].get(org.id or 0)
            row.items.append(_line(item, hit, status_of(hit, today=today, ita=ita)))
        rows.append(row)
    return rows


def for_organization(
    session: Session, actor: Actor, *, year: int, organization_id: int, today: date
) -> tuple[ItaYear, Row]:
    """One organization's checklist, for anyone who may see the organization."""
    ita = year_data(year)
    org = session.get(Organization, organization_id)
    if org is None or not sees(session, actor.scope, organization_id):
        raise NotFound([reason("organization_not_found", "ไม่พบองค์กร", "no such organization")])
    return ita, assess(session, ita, [org], today=today)[0]


def across_scope(
    session: Session, actor: Actor, *, year: int, filters: ScopeFilters, today: date
) -> tuple[ItaYear, list[Row]]:
    """Every organization in an auditor's scope (by province, then name), filtered."""
    require_auditor(actor)
    ita = year_data(year)
    query = select(Organization).order_by(
        col(Organization.province), col(Organization.name), col(Organization.id)
    )
    if not actor.scope.everything:
        query = query.where(visible(actor.scope, Organization.id))
    if filters.province:
        query = query.where(col(Organization.province) == filters.province)
    if filters.organization:
        query = query.where(org_search.matches(
            col(Organization.code), col(Organization.name), filters.organization
        ))
    rows = assess(session, ita, list(session.exec(query).all()), today=today)
    return ita, [r for r in rows if _kept(r, filters)]


def _kept(row: Row, filters: ScopeFilters) -> bool:
    if filters.status is None:
        return True
    return any(
        line.status == filters.status and filters.item in (None, line.code) for line in row.items
    )


def csv_table(ita: ItaYear, rows: Sequence[Row]) -> tuple[list[str], list[list[str]]]:
    """The rows as a CSV's header and cells, in Thai: one column per item (its status in
    Thai), then what is missing."""
    header = ["รหัสองค์กร", "ชื่อองค์กร", "จังหวัด"]
    header += [f"{item.code} {item.title}" for item in ita.items]
    header += ["ลิงก์", "รายการที่ยังไม่มี"]
    cells = []
    for row in rows:
        links = " ".join(link for line in row.items for link in line.links)
        cells.append(
            [row.code, row.name, row.province]
            + [STATUS_TH[line.status] for line in row.items]
            + [links, ", ".join(row.missing)]
        )
    return header, cells
