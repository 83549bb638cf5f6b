"""A world for the transparency checklist of ITA 2567 (docs/domain.md "The transparency
checklist"): offices whose FY 2567 annual plan is posted, with progress in the 6-month round."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from models.clock import FixedClock, bangkok_noon
from models.enums import Action
from tests.content_factories import content_of, run
from tests.factories import Office, create, new_annual, perform_action
from tests.helpers import PLACES
from tests.progress_factories import record
from workflow import content as cc
from workflow.commands import Context

IN_WINDOW = date(2024, 4, 5)  # ITA 2567's evidence window (1 April – 31 May 2024) is open


def posted_2567(
    engine: Engine, ctx: Context, office: Office, *, projects: int = 3, progress: bool = True
) -> int:
    """The office's FY 2567 annual plan, posted; with `progress`, one entry as of 1 Dec 2023
    (in the round). The clock is left on IN_WINDOW."""
    clock: FixedClock = ctx.clock  # type: ignore[assignment]
    clock.set(bangkok_noon(date(2023, 9, 21)))
    plan = create(engine, ctx, new_annual(office, trigger_on=date(2023, 9, 20), year=2567),
                  office.staff)  # fmt: skip
    content = content_of(projects)
    run(engine, ctx, lambda s: cc.replace_content(
        s, ctx, plan_id=plan.id, actor=office.staff, expected_revision=0, content=content,
        source="test"))  # fmt: skip
    p = perform_action(engine, ctx, plan, Action.SUBMIT, office.staff)
    p = perform_action(engine, ctx, p, Action.APPROVE, office.committee)
    p = perform_action(engine, ctx, p, Action.ANNOUNCE, office.executive)
    perform_action(engine, ctx, p, Action.POST, office.staff, places=PLACES)
    if progress:
        clock.set(bangkok_noon(date(2023, 12, 1)))
        record(engine, ctx, plan.id, office.staff, content.projects[0].id, status="in_progress",
               committed_baht="10000", disbursed_baht="5000", started_on="1/11/2566")  # fmt: skip
    clock.set(bangkok_noon(IN_WINDOW))
    return plan.id
