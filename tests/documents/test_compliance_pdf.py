"""The compliance summary as a Thai PDF and the checklist in the audit pack (docs/domain.md
"The audit pack"): the pack holds checklist.json and compliance.pdf, whose text reads back in
Thai (each clock's duty, its B.E. dates, on time or late, each checklist item and its
evidence); verify-pack finds a PDF that is not made from the packed JSON, a checklist naming
evidence the pack lacks, and a missing summary; an auditor fetches the PDF by API and CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from documents.pack import bag_zip, make, plans_of_plan, verify_pack
from documents.pack_contents import gather
from documents.pdf_text import extract_text
from models.plan import Plan
from tests.documents.test_pack import a_year, how
from tests.factories import Office
from workflow.commands import Context
from workflow.evidence import Attaching
from workflow.evidence_rules import Requirement

__all__ = ["how"]


def _contents(
    engine: Engine, ctx: Context, office: Office, how: Attaching
) -> tuple[Plan, dict[str, bytes]]:
    plan_id, _ = a_year(engine, ctx, office, how)
    with Session(engine) as session:
        plans = plans_of_plan(session, office.staff, plan_id)
        found = gather(
            session, plans=plans, store=how.store, clock=ctx.clock, requirement=Requirement.REQUIRED
        )
    return plans[0], found.files


def test_the_summary_reads_back_in_thai(
    engine: Engine, ctx: Context, office: Office, how: Attaching, tmp_path: Path
) -> None:
    plan, files = _contents(engine, ctx, office, how)
    plan_id, year = plan.id, plan.fiscal_year_be
    checklist = json.loads(files["checklist.json"])
    assert [p["plan_id"] for year in checklist for p in year["plans"]] == [plan_id]
    assert checklist[0]["requirement"] == "required"
    items = {i["code"]: i for i in checklist[0]["plans"][0]["items"]}
    assert items["minutes"]["status"] == "ok" and items["minutes"]["evidence"]
    assert items["signed_notice"]["status"] == "failed"  # required, never attached
    text = extract_text(files["compliance.pdf"])
    if target := os.environ.get("LOCALPLAN_SCREENSHOT_DIR"):  # to look at it
        (Path(target) / "compliance-summary.txt").write_text(text)
    for words in (
        "สรุปการปฏิบัติตามกำหนดเวลาและหลักฐาน",
        f"แผนเลขที่ {plan_id}: แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {year}",
        "จัดทำแผนการดำเนินงานให้แล้วเสร็จ",  # SARA AM reads back (the ToUnicode fix)
        "ปิดประกาศโดยเปิดเผย",
        "ภายใน 15 วันนับแต่วันประกาศ",
        "ทันกำหนด",
        "มีรายงานการประชุมคณะกรรมการ",
        "ไม่ผ่าน (ขาดหลักฐาน)",
        "นโยบายหลักฐาน: บังคับ",
        f"{year - 1}",  # B.E. dates of the year's clocks
    ):
        assert "".join(words.split()) in "".join(text.split()), words  # lines wrap anywhere
    assert "2018" not in text  # no Gregorian year is printed
    import pypdfium2  # type: ignore[import-untyped]

    page = pypdfium2.PdfDocument(files["compliance.pdf"])[0]
    png = tmp_path / "compliance-summary.png"
    page.render(scale=2).to_pil().save(png)
    assert png.stat().st_size > 10_000
    if target := os.environ.get("LOCALPLAN_SCREENSHOT_DIR"):  # to look at it
        page.render(scale=1.5).to_pil().save(Path(target) / "compliance-summary.png")


def test_verify_pack_ties_the_summary_to_its_json(
    engine: Engine, ctx: Context, office: Office, how: Attaching, tmp_path: Path
) -> None:
    _, files = _contents(engine, ctx, office, how)
    info: dict[str, str | list[str]] = {"Chain-Head": []}
    path = tmp_path / "pack.zip"

    def found(changed: dict[str, bytes | None]) -> list[str]:
        from documents.pack_contents import Contents

        edited = {k: v for k, v in {**files, **changed}.items() if v is not None}
        path.write_bytes(bag_zip(Contents(edited, dict(info))))  # rebagged: the bag validates
        return verify_pack(path)

    assert found({}) == []
    compliance = json.loads(files["compliance.json"])
    first = compliance[0]["clocks"][0]
    first["status"] = "late" if first["status"] == "on_time" else "on_time"
    edited = json.dumps(compliance, ensure_ascii=False).encode()
    assert any("not made from" in p for p in found({"compliance.json": edited}))
    checklist = json.loads(files["checklist.json"])
    checklist[0]["plans"][0]["items"][0]["evidence"] = [99999]
    edited = json.dumps(checklist, ensure_ascii=False).encode()
    problems = found({"checklist.json": edited})
    assert any("names evidence 99999" in p for p in problems), problems
    assert found({"compliance.pdf": None}) == ["compliance.pdf: missing"]
    assert found({"checklist.json": None}) == ["checklist.json: missing"]


def test_the_year_pack_holds_them(
    engine: Engine, ctx: Context, office: Office, how: Attaching, tmp_path: Path
) -> None:
    plan_id, _ = a_year(engine, ctx, office, how)
    with Session(engine) as session:
        plans = plans_of_plan(session, office.auditor, plan_id)
        data = make(session, plans=plans, store=how.store, clock=ctx.clock)
    (tmp_path / "p.zip").write_bytes(data)
    names = zipfile.ZipFile(tmp_path / "p.zip").namelist()
    for name in ("checklist.json", "compliance.pdf", "compliance.json"):
        assert f"audit-pack/data/{name}" in names
    assert verify_pack(tmp_path / "p.zip") == []


def test_an_auditor_fetches_the_pdf_by_cli(
    engine: Engine, ctx: Context, office: Office, how: Attaching, tmp_path: Path, db_url: str
) -> None:
    plan_id, _ = a_year(engine, ctx, office, how)
    env = {
        **os.environ,
        "LOCALPLAN_DATABASE_URL": db_url,
        "LOCALPLAN_EVIDENCE_DIR": str(how.store.root),
    }
    out = tmp_path / "year.pdf"
    cli = [str(Path(sys.executable).with_name("localplan")), "audit", "compliance-pdf"]
    with Session(engine) as session:
        year = str(plans_of_plan(session, office.staff, plan_id)[0].fiscal_year_be)
    done = subprocess.run(
        [*cli, "--organization", "6660603", "--fiscal-year", year, "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"แผนเลขที่ {plan_id}:" in extract_text(out.read_bytes())
    pack = tmp_path / "pack.zip"
    cli[-1] = "pack"
    done = subprocess.run(
        [*cli, "--plan", str(plan_id), "-o", str(pack)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert verify_pack(pack) == []
    cli[-1] = "compliance-pdf"
    bad = subprocess.run(
        [*cli, "--plan", "999999", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1, bad.stderr
