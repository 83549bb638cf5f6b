"""The legal calendar: deadline explanations, and the admin's holiday overlay."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Path, Query

from api.deps import CurrentPrincipal, ServicesDep
from api.routes.common import READ, problems
from api.routing import Routes
from api.schemas.calendar import (
    HOLIDAY_EXAMPLES,
    CalendarChangeRead,
    DeadlineExplanation,
    HolidayPut,
    OverlayRead,
)
from api.schemas.common import LegalDate
from api.schemas.rules import LEGAL_DATE_PATTERN, LegalDateValue, StrictFlag
from models.db import read_session
from models.enums import CountingMode
from workflow.account_admin import require_admin
from workflow.deadlines import explain
from workflow.errors import ValidationFailed, reason
from workflow.overlay import OverlayEntry, change_overlay, list_overlay, load_calendar

router = Routes(tags=["calendar"])
Day = Annotated[LegalDateValue, Path(description="YYYY-MM-DD, 2000–2199")]


def _start_parameter() -> dict[str, Any]:
    """The three start dates as the one query object they are: exactly one of them, stated
    as `oneOf` (form style, exploded: `?announced_on=2018-10-25`)."""
    date_schema = {"type": "string", "format": "date", "pattern": LEGAL_DATE_PATTERN}
    choices = {"announced_on": "D: posting due", "posted_on": "P: minimum posting",
               "trigger_on": "B: preparation due"}
    return {
        "name": "start",
        "in": "query",
        "required": True,
        "style": "form",
        "explode": True,
        "description": "exactly one start date: " + "; ".join(f"{k} ({v})" for k, v in
                                                             choices.items()),
        "schema": {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {name: {**date_schema, "description": text}},
                    "required": [name],
                    "additionalProperties": False,
                }
                for name, text in choices.items()
            ]
        },
    }


Start = Annotated[LegalDate | None, Query(include_in_schema=False)]


@router.get(
    "/calendar/deadlines",
    response_model=DeadlineExplanation,
    response_model_exclude_none=True,
    responses=READ,
    openapi_extra={"parameters": [_start_parameter()]},
)
def deadlines(
    who: CurrentPrincipal,
    services: ServicesDep,
    announced_on: Start = None,
    posted_on: Start = None,
    trigger_on: Start = None,
    mode: CountingMode | None = None,
    conservative: StrictFlag = False,
) -> dict[str, Any]:
    """The legal dates for one start date: the same JSON as `localplan deadlines --json`."""
    given = [
        (rule, day)
        for rule, day in (
            ("posting", announced_on),
            ("minimum_posting", posted_on),
            ("preparation", trigger_on),
        )
        if day is not None
    ]
    if len(given) != 1:
        raise ValidationFailed(
            [
                reason(
                    "one_start_date",
                    "ระบุวันเริ่มนับอย่างใดอย่างหนึ่ง: announced_on, posted_on หรือ trigger_on",
                    "give exactly one of announced_on, posted_on, trigger_on",
                )
            ]
        )
    rule, start = given[0]
    settings = services.settings
    with read_session(services.engine) as session:
        calendar = services.ctx.calendar or load_calendar(session)
    return explain(
        rule,
        start,
        mode=mode or settings.counting_mode,
        conservative=conservative or settings.conservative_minimum_posting,
        calendar=calendar,
    )


admin = Routes(prefix="/admin", tags=["admin"], responses=problems(401, 403, 422))


@admin.get("/holidays", response_model=list[OverlayRead])
def holidays(who: CurrentPrincipal, services: ServicesDep) -> list[OverlayRead]:
    """The overlay: days added as days off and package days marked as working days."""
    require_admin(who.actor)
    with read_session(services.engine) as session:
        return [OverlayRead.of(row) for row in list_overlay(session)]


async def _change(
    services: ServicesDep, who: CurrentPrincipal, entry: OverlayEntry
) -> CalendarChangeRead:
    change = await services.run(
        lambda s: change_overlay(
            s, entry=entry, actor=who.actor, clock=services.clock, policy=services.ctx.policy
        )
    )
    return CalendarChangeRead.of(change)


@admin.put("/holidays/{day}", response_model=CalendarChangeRead)
async def put_holiday(
    day: Day,
    body: Annotated[HolidayPut, Body(openapi_examples=HOLIDAY_EXAMPLES)],
    who: CurrentPrincipal,
    services: ServicesDep,
) -> CalendarChangeRead:
    """Add a day off, or mark a package holiday as a working day; open deadlines move."""
    return await _change(services, who, OverlayEntry(day, body.kind, body.name, body.source))


@admin.delete("/holidays/{day}", response_model=CalendarChangeRead)
async def clear_holiday(
    day: Day, who: CurrentPrincipal, services: ServicesDep
) -> CalendarChangeRead:
    """Drop the overlay entry of a day: the package seed applies again."""
    return await _change(services, who, OverlayEntry(day, None, "", ""))
