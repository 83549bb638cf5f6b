"""The set-wise lists (workflow/plan_lists.py): the dashboard's page of plan views is what
`get_plan_detail` gives plan by plan, paged newest year first and searched by title; the
public board pages organizations with posted plans by province and name, searched by
organization and province, with each plan's removal date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy import Engine

from models.clock import FixedClock
from models.db import read_session
from models.enums import DeadlineKind, PlanKind, PlanState
from tests.factories import Office, create, extend, make_office, new_plan
from tests.helpers import walk
from workflow import plan_lists, public_board, scoped_reads
from workflow.actors import SYSTEM
from workflow.commands import Context


def _world(engine: Engine, ctx: Context, office: Office, clock: FixedClock) -> list[int]:
    """Four plans of the office (one extended, one of FY 2561) and two posted plans of
    organizations of other provinces; the office's plan ids, oldest first."""
    ids: list[int | None] = []
    for year, title in ((2562, "แผน  เสริม ก"), (2561, "แผนเสริม ข"), (2562, "Plan C")):
        plan = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY, year=year,
                                            title=title), office.staff)
        ids.append(plan.id)
    last = create(engine, ctx, new_plan(office, PlanKind.SUPPLEMENTARY), office.staff)
    extend(engine, ctx, last, office.executive, new_due_on=date(2018, 11, 30))
    ids.append(last.id)
    for code, province in (("6650102", "พิษณุโลก"), ("6650101", "ตาก")):
        other = make_office(engine, clock, code, province)
        walk(engine, ctx, other, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
    return [i for i in ids if i is not None]


def test_a_page_of_views_is_what_each_plan_reads_alone(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    _world(engine, ctx, office, clock)
    with read_session(engine) as db:
        for actor in (office.staff, office.auditor, office.executive):
            listed = plan_lists.list_plan_details(
                db, actor, fiscal_year_be=None, policy=ctx.policy, clock=clock
            )
            alone = [
                scoped_reads.get_plan_detail(db, actor, d.plan.id, policy=ctx.policy, clock=clock)
                for d in listed
            ]
            assert listed == alone and len(listed) == 4
            assert any(v.extensions for d in listed for v in d.deadlines)


def test_the_dashboard_pages_newest_year_first_and_searches_titles(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    ids = _world(engine, ctx, office, clock)
    with read_session(engine) as db:
        def page(n: int, text: str = "") -> plan_lists.DetailPage:
            return plan_lists.page_of_plan_details(
                db, office.staff, fiscal_year_be=None, title_text=text, page=n, per_page=2,
                policy=ctx.policy, clock=clock,
            )

        first, second = page(1), page(2)
        assert [d.plan.id for d in first.details] == [ids[0], ids[2]]  # FY 2562, oldest first
        assert first.more and first.total == 4 and not second.more
        assert [d.plan.id for d in second.details] == [ids[3], ids[1]]  # then FY 2561
        assert page(3).details == [] and not page(3).more and page(3).total == second.total == 4
        # spaces folded, case ignored, as the page did before
        assert [d.plan.id for d in page(1, "แผน เสริม ก").details] == [ids[0]]
        assert [d.plan.id for d in page(1, "plan c").details] == [ids[2]]


def test_the_board_pages_organizations_and_searches(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    _world(engine, ctx, office, clock)
    with read_session(engine) as db:
        first = public_board.notice_board(db, per_page=1)
        second = public_board.notice_board(db, page=2, per_page=1)
        assert first.more and not second.more
        assert [o.province for o, _ in first.organizations + second.organizations] == [
            "ตาก", "พิษณุโลก"
        ]  # by province, then name; the office has no posted plan
        ((_, notices),) = first.organizations
        notice = notices[0]
        assert notice.plan.state is PlanState.POSTED
        plan = scoped_reads.get_visible_plan(db, SYSTEM, notice.plan.id)[0]
        floor = plan.clock(DeadlineKind.MINIMUM_POSTING)
        assert floor is not None and notice.removal_on == floor.due_on
        by_province = public_board.notice_board(db, province="พิษณุโลก")
        assert [o.code for o, _ in by_province.organizations] == ["6650102"]
        assert [o.code for o, _ in public_board.notice_board(
            db, organization_text="6650101").organizations] == ["6650101"]
        named = public_board.notice_board(db, organization_text="ทดสอบ 665010")
        assert len(named.organizations) == 2
        assert public_board.notice_board(db, province="พิจิตร").organizations == []


def test_every_page_of_the_board_read_from_either_end_is_the_board_in_order(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    """Pages in the back half are read from the end (`_page_of_all`): pages of every size put
    together are the board in its order, province, name, then code (two organizations of one
    name in one province), each once; past the end a page is empty."""
    offices = {
        ("6650203", "ตาก"): "อบต.ซ้ำ", ("6650201", "ตาก"): "อบต.ซ้ำ", ("6650202", "ตาก"): "อบต.ก",
        ("6650301", "น่าน"): "อบต.ข", ("6650302", "น่าน"): "อบต.ค",
    }
    for (code, province), name in offices.items():
        made = make_office(engine, clock, code, province)
        walk(engine, ctx, made, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE organization SET name = :n WHERE code = :c"), {"n": name, "c": code}
            )
    expected = ["6650202", "6650201", "6650203", "6650301", "6650302"]  # the office: none posted
    with read_session(engine) as db:
        for per_page in (1, 2, 3, 4, 5, 6):
            codes: list[str] = []
            for page in range(1, 7):
                found = public_board.notice_board(db, page=page, per_page=per_page)
                codes += [o.code for o, _ in found.organizations]
                assert found.more == (page * per_page < len(expected)), (per_page, page)
                assert all(len(notices) == 1 for _, notices in found.organizations)
            assert codes == expected, per_page


def test_the_board_matches_a_name_as_typed_wildcards_included(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    for code, name in (("6650401", "อบต.ร้อย%"), ("6650402", "อบต.ร้อยเอ็ด"), ("6650403", "อบต.a_b")):
        made = make_office(engine, clock, code, "ร้อยเอ็ด")
        walk(engine, ctx, made, PlanKind.SUPPLEMENTARY, PlanState.POSTED)
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE organization SET name = :n WHERE code = :c"), {"n": name, "c": code}
            )
    with read_session(engine) as db:
        def codes(text: str) -> list[str]:
            found = public_board.notice_board(db, organization_text=text)
            return [o.code for o, _ in found.organizations]

        assert codes("ร้อย%") == ["6650401"]  # "%" is a percent sign, not "anything"
        assert codes("ร้อย") == ["6650401", "6650402"]
        assert codes("a_b") == ["6650403"] and codes("a/b") == [] and codes("_") == ["6650403"]
        assert codes("6650402") == ["6650402"]


def test_every_scope_pages_the_plans_it_lists(
    engine: Engine, ctx: Context, office: Office, clock: FixedClock
) -> None:
    """The page statements compiled once per shape of scope (own, province, everything, a
    year or not) and those built for listed organizations give the pages of what
    `list_plan_details` lists, newest year first."""
    _world(engine, ctx, office, clock)
    with read_session(engine) as db:
        other = db.connection().execute(
            sa.text("SELECT id FROM organization WHERE code = '6650101'")
        ).scalar_one()
        listed = replace(office.auditor, scope_organization_ids=frozenset({other}))
        only_listed = replace(listed, scope_province=None)
        for actor in (office.staff, office.auditor, listed, only_listed, SYSTEM):
            for year in (None, 2562):
                every = plan_lists.list_plan_details(
                    db, actor, fiscal_year_be=year, policy=ctx.policy, clock=clock
                )
                expected = sorted(every, key=lambda d: (-d.plan.fiscal_year_be, d.plan.id))
                for per_page in (1, 2, 25):
                    paged, page, found = [], 1, None
                    while found is None or found.more:
                        found = plan_lists.page_of_plan_details(
                            db, actor, fiscal_year_be=year, page=page, per_page=per_page,
                            policy=ctx.policy, clock=clock,
                        )
                        paged += found.details
                        assert found.total == len(expected), (actor.username, year)
                        page += 1
                    assert paged == expected, (actor.username, year, per_page)
        assert {d.plan.organization_id for d in plan_lists.list_plan_details(
            db, only_listed, fiscal_year_be=None, policy=ctx.policy, clock=clock)} == {other}
