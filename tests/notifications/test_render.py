"""Texts: Thai first with English, Buddhist-Era dates, the clause, days left, what to do next;
the generic action labels agree with the table's rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models.enums import Action, DeadlineKind
from notifications import templates
from notifications.render import DigestItem, MessageFacts, PlanFacts, render, render_digest
from workflow.table import CLOCKS, RULES
from workflow.table_reports import REPORT_RULES

ORG = "องค์การบริหารส่วนตำบลแหลมรัง"
PLAN = PlanFacts("แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562", "annual", 1, 2562)


def alert(kind: str, **payload: Any) -> MessageFacts:
    base = {
        "deadline_kind": "posting",
        "clause": "ข้อ 26 (2)",
        "duty_th": CLOCKS[DeadlineKind.POSTING].label_th,
        "duty_en": CLOCKS[DeadlineKind.POSTING].label_en,
        "due_on": "2018-11-09",
        "last_working_on": "2018-11-09",
        "days_left": 3,
        "auto_complete": False,
    }
    return MessageFacts(
        kind=f"alert.{kind}",
        organization_name=ORG,
        payload=base | payload,
        plan=PLAN,
        audience=("staff",),
    )


def test_action_labels_match_the_workflow_table() -> None:
    assert set(templates.ACTIONS) == {a.value for a in Action}
    labels = {(r.action.value, r.label_th) for r in RULES}
    labels |= {(r.action.value, r.label_th) for r in REPORT_RULES}
    for action, (th, _en) in templates.ACTIONS.items():
        if action in ("submit", "send_back", "extend_deadline", "correct"):
            continue  # several rows with different labels: a generic one is used
        assert (action, th) in labels


def test_a_reminder_names_everything_thai_first() -> None:
    out = render(alert("reminder"))
    assert out.subject == (
        f"เตือน: ปิดประกาศโดยเปิดเผย เหลืออีก 3 วัน (ครบกำหนด 9 พ.ย. 2561) — {PLAN.title}"
    )
    assert out.lines_th == (
        "เตือน: ปิดประกาศโดยเปิดเผย เหลืออีก 3 วัน (ครบกำหนด 9 พ.ย. 2561)",
        f"{ORG}: แผนการดำเนินงาน ประจำปีงบประมาณ 2562 «{PLAN.title}»",
        "ตามระเบียบ ข้อ 26 (2): ครบกำหนด 9 พ.ย. 2561",
        "เหลืออีก 3 วัน",
        templates.NEXT_STEPS["posting"][0],
    )
    text = out.text
    assert text.index("เหลืออีก 3 วัน") < text.index("3 day(s) left")  # Thai first
    assert "fiscal year 2562 (BE)" in text
    assert "<p>ตามระเบียบ ข้อ 26 (2): ครบกำหนด 9 พ.ย. 2561</p>" in out.html
    assert out.html.startswith('<!DOCTYPE html><html lang="th">')


def test_due_today_overdue_and_last_working_day_texts() -> None:
    today = render(alert("reminder", days_left=0))
    assert today.subject.startswith("เตือน: ปิดประกาศโดยเปิดเผย ครบกำหนดวันนี้ (9 พ.ย. 2561)")
    late = MessageFacts(
        **{**alert("overdue", days_left=-8).__dict__, "audience": ("staff", "executive", "auditor")}
    )
    out = render(late)
    assert out.subject.startswith("เกินกำหนดแล้ว 8 วัน")
    assert "เกินกำหนด 8 วัน" in out.text and "8 day(s) overdue" in out.text
    assert templates.ESCALATED[0] in out.text
    holiday = render(
        alert("last_working_day", due_on="2018-10-23", last_working_on="2018-10-22", days_left=1)
    )
    assert holiday.subject.startswith("วันนี้เป็นวันทำการสุดท้ายก่อนครบกำหนด 23 ต.ค. 2561")
    assert "ควรดำเนินการภายใน 22 ต.ค. 2561" in holiday.text


def test_may_come_down_says_the_scheduler_will_complete() -> None:
    out = render(
        alert(
            "may_come_down",
            deadline_kind="minimum_posting",
            due_on="2018-11-26",
            last_working_on="2018-11-26",
            days_left=0,
            auto_complete=True,
        )
    )
    assert out.subject.startswith("ปิดประกาศครบระยะเวลาแล้ว ปลดประกาศได้ตั้งแต่ 26 พ.ย. 2561")
    assert templates.AUTO_COMPLETE[0] in out.text and templates.AUTO_COMPLETE[1] in out.text


@pytest.mark.parametrize("action", ["submit", "announce", "post", "complete_posting"])
def test_transitions_name_the_action_and_its_legal_date(action: str) -> None:
    out = render(
        MessageFacts(
            kind=f"transition.{action}",
            organization_name=ORG,
            payload={"action": action, "effective_on": "2018-10-25", "details": {}},
            plan=PLAN,
        )
    )
    th, en = templates.ACTIONS[action]
    assert out.subject == f"{th}: «{PLAN.title}» (มีผลวันที่ 25 ต.ค. 2561)"
    assert render(out_facts(action), "en").subject == (
        f"{en}: «{PLAN.title}» (effective 25 Oct 2018)"
    )


def out_facts(action: str, comment: str | None = None) -> MessageFacts:
    return MessageFacts(
        kind=f"transition.{action}",
        organization_name=ORG,
        payload={"action": action, "effective_on": "2018-10-25", "details": {}, "comment": comment},
        plan=PLAN,
    )


@pytest.mark.parametrize("action", ["return_for_revision", "send_back"])
def test_a_return_carries_its_reason_in_both_languages(action: str) -> None:
    facts = out_facts(action, comment="งบประมาณโครงการที่ 3 ไม่ตรงกับข้อบัญญัติ")
    th, en = render(facts), render(facts, "en")
    assert "เหตุผล: งบประมาณโครงการที่ 3 ไม่ตรงกับข้อบัญญัติ" in th.lines_th
    assert "Reason: งบประมาณโครงการที่ 3 ไม่ตรงกับข้อบัญญัติ" in en.lines_en
    approved = render(out_facts("approve", comment="เห็นชอบ"))
    assert "ความเห็น: เห็นชอบ" in approved.lines_th and "Comment: เห็นชอบ" in approved.lines_en


def test_an_english_reader_gets_english_first_and_thai_below() -> None:
    out = render(alert("overdue", days_left=-2944), "en")
    assert out.subject == (
        f"Overdue by 2944 day(s): Post the plan publicly (was due 9 Nov 2018) — {PLAN.title}"
    )
    assert "เกินกำหนด" not in out.subject and "BE" not in out.subject
    assert out.text.index("2944 day(s) overdue") < out.text.index("เกินกำหนด 2944 วัน")
    assert out.html.startswith('<!DOCTYPE html><html lang="en">')
    thai = render(alert("overdue", days_left=-2944))
    assert thai.subject.startswith("เกินกำหนดแล้ว 2944 วัน") and "Overdue" not in thai.subject
    assert "9 พ.ย. 2561" in thai.subject


def test_an_extension_names_both_due_dates() -> None:
    out = render(
        MessageFacts(
            kind="deadline.extended",
            organization_name=ORG,
            payload={"details": {"previous_due_on": "2018-10-20", "new_due_on": "2018-11-05"}},
            plan=PLAN,
        )
    )
    assert out.subject.startswith("ผู้บริหารท้องถิ่นขยายกำหนดเวลา: จาก 20 ต.ค. 2561 เป็น 5 พ.ย. 2561")


def test_html_is_escaped() -> None:
    plan = PlanFacts("<script>alert(1)</script>", "supplementary", 2, 2562)
    out = render(MessageFacts(**{**alert("reminder").__dict__, "plan": plan}))
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "ครั้งที่ 2" in out.text and "no. 2" in out.text


def test_the_digest_lists_the_most_urgent_first() -> None:
    items = [
        DigestItem(ORG, PLAN, "ปิดประกาศโดยเปิดเผย", "Post", "ข้อ 26 (2)", date(2018, 11, 9), 5),
        DigestItem(ORG, PLAN, "จัดทำแผน", "Finish", "ข้อ 27", date(2018, 10, 20), -2),
    ]
    out = render_digest(day=date(2018, 11, 4), items=items, link="https://lp.example/")
    assert out.subject.startswith("สรุปกำหนดเวลาประจำวัน 4 พ.ย. 2561: 2 รายการ")
    assert out.lines_th[1].endswith("ครบกำหนด 20 ต.ค. 2561: เกิน 2 วัน")
    assert out.lines_th[2].endswith("ครบกำหนด 9 พ.ย. 2561: เหลือ 5 วัน")
    assert "https://lp.example/" in out.text and 'href="https://lp.example/"' in out.html
