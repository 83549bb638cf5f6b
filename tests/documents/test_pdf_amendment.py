"""An amendment's plan book prints its changes (docs/domain.md "Documents"): each เพิ่ม /
เปลี่ยนแปลง / ยกเลิก with the project's name and budget, for a change the budget before (the
plan in force) and after, and each reason (เหตุผลความจำเป็น); rendered for real and read back."""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

from documents import pdf, pdf_plan
from tests.documents.plans import plan_content
from tests.documents.test_pdf_text import ORG, has, one_line
from workflow.content_model import Change, ChangeKind, Content

WHY_CHANGE = "ราคาวัสดุก่อสร้างสูงขึ้นจากที่ประมาณการไว้ จึงต้องเพิ่มงบประมาณ"
WHY_ADD = "ประชาชนหมู่ที่ 5 ร้องขอในการประชุมประชาคมเพิ่มเติม"
WHY_REMOVE = "กรมทางหลวงชนบทรับไปดำเนินการแล้ว"


def amendment(in_force: Content) -> Content:
    changed = replace(in_force.projects[0], budget_baht=Decimal("987654"))
    added = replace(in_force.projects[3], id="pnew", name="โครงการขุดลอกคลองสาธารณะ หมู่ที่ 5",
                    budget_baht=Decimal("345000"))  # fmt: skip
    return replace(
        in_force,
        projects=(changed, added),
        equipment=(),
        changes=(
            Change(ChangeKind.CHANGE, changed.id, WHY_CHANGE),
            Change(ChangeKind.ADD, "pnew", WHY_ADD),
            Change(ChangeKind.REMOVE, in_force.projects[2].id, WHY_REMOVE),
        ),
    )


def test_an_amendment_prints_each_change_with_its_reason_and_both_budgets() -> None:
    in_force = plan_content(6)
    made = pdf_plan.book(
        amendment(in_force), title="แผนการดำเนินงานแก้ไข ครั้งที่ 1 ประจำปีงบประมาณ พ.ศ. 2562",
        fiscal_year_be=2562, organization=ORG, district="บ้านนา", province="นครนายก",
        emblem_uri=None, content_version=1, content_sha256="cd" * 32, in_force=in_force,
    )  # fmt: skip
    data = pdf.render("plan.html", b=made)
    text = one_line(data)
    assert has(text, "รายการที่แก้ไขจากแผนการดำเนินงานที่ใช้บังคับ", "เหตุผลความจำเป็น")
    assert has(text, "เปลี่ยนแปลง", in_force.projects[0].name, "150,000", "987,654", WHY_CHANGE)
    assert has(text, "เพิ่ม", "โครงการขุดลอกคลองสาธารณะ หมู่ที่ 5", "345,000", WHY_ADD)
    assert has(text, "ยกเลิก", in_force.projects[2].name, "175,000", WHY_REMOVE)
    document = pdfium.PdfDocument(data)
    pages = [i for i in range(len(document)) if "กรมทางหลวงชนบท" in
             document[i].get_textpage().get_text_range()]  # fmt: skip
    assert pages
    image = document[pages[0]].render(scale=2).to_pil()
    assert image.width > image.height  # the A4 landscape table
    out = os.environ.get("LOCALPLAN_SHOTS")
    if out:
        image.save(Path(out) / "plan-amendment-changes.png")


def test_an_annual_plan_prints_no_change_section() -> None:
    made = pdf_plan.book(
        plan_content(3), title="แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562", fiscal_year_be=2562,
        organization=ORG, district="บ้านนา", province="นครนายก", emblem_uri=None,
        content_version=1, content_sha256="cd" * 32,
    )  # fmt: skip
    assert made.changes == ()
    assert not has(one_line(pdf.render("plan.html", b=made)), "รายการที่แก้ไขจาก")
