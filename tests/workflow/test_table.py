"""The table is the one place the regulation is written: what derives from it, and the texts
that take their numbers from it (docs/domain.md "States and actions", "The three clocks").

Expected values are written out here, not computed with the code under test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import Date

from api.schemas.plans import PlanAction
from models.enums import Action, DeadlineKind, DeadlineStatus, PlanKind, PlanState, Role
from models.plan import Plan
from workflow.deadlines import closed_status
from workflow.diagram import VARIANTS, mermaid
from workflow.guards import (
    ActionInput,
    minimum_period_satisfied,
    not_extendable,
    not_extender,
    thai_count,
)
from workflow.table import (
    CLOCKS,
    DUTY_CLOCKS,
    PLAN_ACTIONS,
    PRE_ANNOUNCEMENT,
    RULES,
    TERMINAL,
    creatable_kinds,
)

S, C, E = Role.STAFF, Role.COMMITTEE, Role.EXECUTIVE


def test_end_states_are_the_states_no_row_leaves_and_the_diagram_ends_there() -> None:
    assert {PlanState.POSTING_COMPLETE, PlanState.WITHDRAWN} == TERMINAL
    for _title, kind, policy in VARIANTS:
        ends = {line.split()[0] for line in mermaid(kind, policy).splitlines() if "[*]" in line}
        ends.discard("[*]")  # the creation arrow
        assert ends == {"posting_complete", "withdrawn"}


def test_the_states_before_announcement_are_the_ones_withdraw_leaves() -> None:
    assert PRE_ANNOUNCEMENT == (
        PlanState.DRAFT,
        PlanState.COMMITTEE_REVIEW,
        PlanState.AWAITING_ANNOUNCEMENT,
    )
    assert {r.source for r in RULES if r.action is Action.WITHDRAW} == set(PRE_ANNOUNCEMENT)


def test_each_dated_action_names_a_date_column_of_the_plan() -> None:
    dated = {r.action: r.sets_date for r in RULES if r.sets_date is not None}
    assert dated == {
        Action.ANNOUNCE: "announced_on",
        Action.POST: "posted_on",
        Action.COMPLETE_POSTING: "posting_complete_on",
    }
    columns = Plan.__table__.c  # type: ignore[attr-defined]
    for column in dated.values():
        assert isinstance(columns[column].type, Date)


def test_the_api_enum_is_the_table_actions_after_create_in_order() -> None:
    expected = [
        "submit",
        "return_for_revision",
        "approve",
        "send_back",
        "announce",
        "post",
        "complete_posting",
        "withdraw",
    ]
    assert [a.value for a in PLAN_ACTIONS] == expected
    assert [a.value for a in PlanAction] == expected


def test_creatable_kinds_per_role() -> None:
    assert creatable_kinds(S) == (PlanKind.ANNUAL, PlanKind.SUPPLEMENTARY)
    assert creatable_kinds(E) == (PlanKind.AMENDMENT,)
    for role in (C, Role.AUDITOR, Role.ADMIN, Role.SYSTEM):
        assert creatable_kinds(role) == ()


def test_who_is_reminded_and_which_clock_is_a_floor() -> None:
    assert {k: c.reminded for k, c in CLOCKS.items()} == {
        DeadlineKind.PREPARATION: (S, C, E),
        DeadlineKind.POSTING: (S,),
        DeadlineKind.MINIMUM_POSTING: (S,),
        # a monitoring report's (workflow/table_reports.py): the executive announces; the
        # yearly floor is everyone's who makes the report
        DeadlineKind.REPORT_ANNOUNCEMENT: (E,),
        DeadlineKind.YEARLY_REPORT: (S, Role.MONITORING_COMMITTEE, E),
    }
    assert [k for k, c in CLOCKS.items() if c.floor] == [DeadlineKind.MINIMUM_POSTING]
    assert DUTY_CLOCKS == (
        DeadlineKind.PREPARATION,
        DeadlineKind.POSTING,
        DeadlineKind.REPORT_ANNOUNCEMENT,
        DeadlineKind.YEARLY_REPORT,
    )


def test_a_floor_is_never_late() -> None:
    due, after = date(2018, 11, 26), date(2018, 12, 3)
    assert closed_status(DeadlineKind.MINIMUM_POSTING, due, after) is DeadlineStatus.MET
    assert closed_status(DeadlineKind.POSTING, due, after) is DeadlineStatus.LATE


def test_only_preparation_is_extendable_and_staff_and_committee_hear_of_it() -> None:
    assert {k: (c.extendable_by, c.extension_told) for k, c in CLOCKS.items()} == {
        DeadlineKind.PREPARATION: (frozenset({E}), (S, C)),
        DeadlineKind.POSTING: (frozenset(), ()),
        DeadlineKind.MINIMUM_POSTING: (frozenset(), ()),
        DeadlineKind.REPORT_ANNOUNCEMENT: (frozenset(), ()),  # clause 30 (5) gives no power
        DeadlineKind.YEARLY_REPORT: (frozenset(), ()),
    }


def test_extension_refusals_name_the_clause_and_the_holder_of_the_power() -> None:
    refused = not_extendable(DeadlineKind.POSTING)
    assert (refused.code, refused.th, refused.en) == (
        "deadline_not_extendable",
        "กำหนดเวลานี้ขยายไม่ได้ (ขยายได้เฉพาะระยะเวลาจัดทำแผนตามข้อ 27)",
        "the posting deadline cannot be extended (only preparation, clause 27)",
    )
    role = not_extender(CLOCKS[DeadlineKind.PREPARATION], S)
    assert (role.code, role.th, role.en) == (
        "role_not_allowed",
        "เฉพาะผู้บริหารท้องถิ่นขยายเวลาได้",
        "role staff may not extend the preparation deadline",
    )


def _early_completion() -> ActionInput:
    removal = date(2018, 11, 26)
    return ActionInput(date(2018, 11, 20), date(2018, 11, 20), None, removal_on=removal)


def test_the_minimum_posting_guard_says_thirty_days() -> None:
    found = minimum_period_satisfied(_early_completion())
    assert found is not None
    assert found.th == "ยังปิดประกาศไม่ครบสามสิบวัน ปลดประกาศได้ตั้งแต่ 26 พ.ย. 2561"
    assert found.en == (
        "the notice must stay posted at least 30 days; it may come down from 2018-11-26"
    )


def test_the_minimum_posting_guard_takes_its_days_from_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = CLOCKS[DeadlineKind.MINIMUM_POSTING]
    monkeypatch.setitem(CLOCKS, DeadlineKind.MINIMUM_POSTING, replace(clock, days=45))
    found = minimum_period_satisfied(_early_completion())
    assert found is not None
    assert "ไม่ครบสี่สิบห้าวัน" in found.th and "at least 45 days" in found.en


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "หนึ่ง"),
        (10, "สิบ"),
        (11, "สิบเอ็ด"),
        (15, "สิบห้า"),
        (20, "ยี่สิบ"),
        (21, "ยี่สิบเอ็ด"),
        (30, "สามสิบ"),
        (45, "สี่สิบห้า"),
        (99, "เก้าสิบเก้า"),
    ],
)
def test_thai_count(n: int, words: str) -> None:
    assert thai_count(n) == words


def test_thai_count_refuses_what_it_cannot_write() -> None:
    for n in (0, 100):
        with pytest.raises(ValueError):
            thai_count(n)
