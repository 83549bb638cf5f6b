"""Auditor pages: history search with paging and CSV, compliance table, integrity check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from api.csv_export import csv_response
from api.routing import Routes
from api.web import exports
from api.web.render import WebRoute, WebServices, Who, render
from models.clock import today_bangkok
from models.db import read_session
from models.enums import Action
from models.thai_dates import format_thai_date
from workflow import input_rules as rules
from workflow import scoped_reads
from workflow.calendar import fiscal_year_be
from workflow.input_rules import InvalidInput
from workflow.log import latest_checkpoint

router = Routes(prefix="/audit", route_class=WebRoute, include_in_schema=False)
PAGE_SIZE = 50
Text = Annotated[str, Query(max_length=100)]
DateText = Annotated[str, Query(max_length=10)]


@dataclass(frozen=True)
class Search:
    """The history search form as typed (strings), and the filters it means."""

    organization: str = ""
    province: str = ""
    fiscal_year: str = ""
    action: str = ""
    actor: str = ""
    date_from: str = ""
    date_to: str = ""

    def query(self, **extra: str | int) -> str:
        values = {k: v for k, v in vars(self).items() if v}
        values.update({k: str(v) for k, v in extra.items()})
        return urlencode(values)

    def errors(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in ("organization", "province", "actor"):  # no NUL or control character
            found.update(_refusal(partial(
                rules.optional_text, getattr(self, name), field=name, max_length=rules.FILTER_MAX
            )))
        if self.fiscal_year:
            found.update(_refusal(lambda: rules.fiscal_year(self.fiscal_year, field="fiscal_year")))
        if self.action and self.action not in {a.value for a in Action}:
            found["action"] = "ไม่รู้จักการดำเนินการนี้ / unknown action"
        for name in ("date_from", "date_to"):
            if getattr(self, name):
                found.update(_refusal(partial(rules.typed_date, getattr(self, name), field=name)))
        start, end = _date(self.date_from), _date(self.date_to)
        if start and end and start > end and not found:
            found["date_to"] = (
                f"วันที่สิ้นสุด ({format_thai_date(end)}) อยู่ก่อนวันที่เริ่ม ({format_thai_date(start)}) "
                "จึงไม่มีรายการใดอยู่ในช่วงนี้ โปรดสลับวันที่ / the end date is before the start date"
            )
        return found

    def filters(self, after: int, limit: int) -> scoped_reads.TransitionFilters:
        return scoped_reads.TransitionFilters(
            organization_text=" ".join(self.organization.split()) or None,
            province=rules.province_search(self.province) or None,
            fiscal_year_be=int(self.fiscal_year) if self.fiscal_year else None,
            actor_username=self.actor or None,
            action=Action(self.action) if self.action else None,
            effective_from=_date(self.date_from),
            effective_to=_date(self.date_to),
            after_id=after,
            limit=limit,
        )


def _refusal(check: Callable[[], object]) -> dict[str, str]:
    """The input rule's reason (Thai / English) under the field it names, if it refuses."""
    try:
        check()
    except InvalidInput as refused:
        return {refused.field: " / ".join((refused.reasons[0].th, refused.reasons[0].en))}
    return {}


def _date(raw: str) -> date | None:
    """A date field as typed (วว/ดด/ปปปป in BE, or ISO), by the core's rule."""
    try:
        return rules.typed_date(raw, field="date") if raw else None
    except InvalidInput:
        return None


def _search(
    organization: Text = "",
    province: Text = "",
    fiscal_year: Annotated[str, Query(max_length=4)] = "",
    action: Annotated[str, Query(max_length=32)] = "",
    actor: Annotated[str, Query(max_length=64)] = "",
    date_from: DateText = "",
    date_to: DateText = "",
) -> Search:
    return Search(organization, province, fiscal_year, action, actor, date_from, date_to)


@router.get("/history", response_class=HTMLResponse)
def history(
    request: Request,
    who: Who,
    services: WebServices,
    organization: Text = "",
    province: Text = "",
    fiscal_year: Annotated[str, Query(max_length=4)] = "",
    action: Annotated[str, Query(max_length=32)] = "",
    actor: Annotated[str, Query(max_length=64)] = "",
    date_from: DateText = "",
    date_to: DateText = "",
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> HTMLResponse:
    search = _search(organization, province, fiscal_year, action, actor, date_from, date_to)
    errors = search.errors()
    rows: list[scoped_reads.TransitionRow] = []
    next_after = None
    with read_session(services.engine) as db:
        scoped_reads.require_auditor(who.actor)
        if not errors:
            page = scoped_reads.list_transitions(
                db, who.actor, filters=search.filters(after, PAGE_SIZE)
            )
            rows, next_after = page.items, page.next_after
    return render(
        request,
        "audit_history.html",
        who=who,
        status=422 if errors else 200,
        search=search,
        errors=errors,
        rows=rows,
        after=after,
        next_query=search.query(after=next_after) if next_after else None,
        first_query=search.query(),
        csv_query=search.query(),
        action_values=[a.value for a in Action if a is not Action.EXTEND_DEADLINE]
        + [Action.EXTEND_DEADLINE.value],
    )


@router.get("/history.csv")
def history_csv(
    who: Who,
    services: WebServices,
    organization: Text = "",
    province: Text = "",
    fiscal_year: Annotated[str, Query(max_length=4)] = "",
    action: Annotated[str, Query(max_length=32)] = "",
    actor: Annotated[str, Query(max_length=64)] = "",
    date_from: DateText = "",
    date_to: DateText = "",
) -> Response:
    search = _search(organization, province, fiscal_year, action, actor, date_from, date_to)
    if search.errors():
        # never widen an export silently: refuse instead
        return Response("invalid filters", status_code=422, media_type="text/plain")
    with read_session(services.engine) as db:
        page = scoped_reads.list_transitions(
            db, who.actor, filters=search.filters(0, PAGE_SIZE), page=False
        )
    return csv_response(
        exports.HISTORY_COLUMNS, exports.history_rows(page.items), filename="transitions.csv"
    )


@router.get("/compliance", response_class=HTMLResponse)
def compliance(
    request: Request,
    who: Who,
    services: WebServices,
    fiscal_year: Annotated[
        int | None, Query(ge=rules.FISCAL_YEAR_MIN_BE, le=rules.FISCAL_YEAR_MAX_BE)
    ] = None,
) -> HTMLResponse:
    year = fiscal_year or fiscal_year_be(today_bangkok(services.clock))
    with read_session(services.engine) as db:
        rows = scoped_reads.compliance_in_scope(
            db, who.actor, fiscal_year_be=year, clock=services.clock
        )
    return render(request, "audit_compliance.html", who=who, year=year, rows=rows)


@router.get("/verify", response_class=HTMLResponse)
def verify(request: Request, who: Who, services: WebServices) -> HTMLResponse:
    with read_session(services.engine) as db:
        report = scoped_reads.verify_in_scope(db, who.actor)
        checkpoint = latest_checkpoint(db)
    return render(
        request,
        "audit_verify.html",
        who=who,
        report=report,
        checked_at=services.clock.now(),
        checkpoint=checkpoint,
    )
