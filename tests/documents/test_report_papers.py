"""A monitoring report's papers made once at its announcement (docs/domain.md "Monitoring
reports"), on both engines: its own ประกาศ and the report PDF rendered in the announce
transaction, stored by their SHA-256, named in the announce record (hashed into the chain),
read back in Thai (SARA AM as typed); `audit verify` re-hashes them and finds a changed file
or row; without a renderer nothing is rendered."""

from __future__ import annotations

import hashlib
import io

import sqlalchemy as sa
from sqlalchemy import Engine

from documents.pdf_text import extract_text
from models.clock import FixedClock
from models.db import read_session
from models.migrations.append_only import drop_guards
from models.report import ReportDocumentKind
from tests.factories import Office
from tests.report_factories import FINDINGS
from tests.report_papers_world import EXECUTIVE, OFFICE_PLACES, ORG, announced_report
from workflow.audit import verify
from workflow.commands import Context
from workflow.report_papers import announced_report_document, report_announce_details


def problems(engine: Engine) -> set[str]:
    with read_session(engine) as session:
        return {b.problem for b in verify(session).breaks}


def flat(pdf: bytes) -> str:
    """The text without spaces or line breaks (Thai lines break inside phrases)."""
    return "".join(extract_text(pdf).split())


def has(text: str, *phrases: str) -> bool:
    return all("".join(p.split()) in text for p in phrases)


def test_the_announcement_renders_stores_and_names_both_papers(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    report = announced_report(engine, ctx, clock, office, posted=False)
    with read_session(engine) as session:
        details = report_announce_details(session, report_id=report.id)
        notice = announced_report_document(session, report_id=report.id,
                                           kind=ReportDocumentKind.NOTICE_PDF)
        paper = announced_report_document(session, report_id=report.id,
                                          kind=ReportDocumentKind.REPORT_PDF)
        rows = session.connection().execute(sa.text(
            "SELECT kind, sha256, size FROM report_document ORDER BY id")).all()
    assert details is not None and notice is not None and paper is not None
    assert details["signer"] == {"name": EXECUTIVE, "position": f"นายก{ORG}",
                                 "capacity": "executive", "for_position": None}
    named = details["documents"]
    assert named["notice_pdf"]["sha256"] == hashlib.sha256(notice).hexdigest()
    assert named["report_pdf"]["sha256"] == hashlib.sha256(paper).hexdigest()
    assert [(k, h, n) for k, h, n in rows] == [
        ("notice_pdf", named["notice_pdf"]["sha256"], len(notice)),
        ("report_pdf", named["report_pdf"]["sha256"], len(paper)),
    ]
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(notice)).pages) == 1  # the ประกาศ is one A4 page
    text = flat(notice)
    assert has(text, f"ประกาศ{ORG}", "เรื่อง รายงานผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น "
               "ประจำปีงบประมาณ พ.ศ. 2562 (รอบ 6 เดือน ตุลาคม 2561 – มีนาคม 2562)")
    assert has(text, "ข้อ 30 (5)", "คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น",
               "ต่อสภาท้องถิ่นและคณะกรรมการพัฒนาท้องถิ่น เมื่อวันที่ 3 มิถุนายน พ.ศ. 2562",
               "ไม่น้อยกว่าสามสิบวัน", *OFFICE_PLACES, "ประกาศ ณ วันที่ 5 มิถุนายน พ.ศ. 2562",
               f"({EXECUTIVE})", f"นายก{ORG}", "https://plan.example.go.th/board/reports/")
    body = flat(paper)
    assert has(body, "รอบ 6 เดือน (ตุลาคม 2561 – มีนาคม 2562)",
               "ข้อมูล ณ วันที่ 31 มีนาคม พ.ศ. 2562", "อยู่ระหว่างดำเนินการ",
               FINDINGS["findings"], FINDINGS["recommendations"])
    assert problems(engine) == set()


def test_verify_finds_a_changed_file_and_a_changed_row(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    announced_report(engine, ctx, clock, office, posted=False)
    with engine.begin() as conn:
        notice, paper = conn.execute(sa.text(
            "SELECT sha256 FROM report_document ORDER BY id")).scalars().all()
        drop_guards(conn, ("document_file",))
        conn.execute(sa.text("UPDATE document_file SET data = :d WHERE sha256 = :s"),
                     {"d": b"%PDF-1.7 forged", "s": paper})
    assert problems(engine) == {"report_document_hash_mismatch"}
    with engine.begin() as conn:  # the row now names the notice's file instead
        drop_guards(conn, ("report_document",))
        conn.execute(sa.text("UPDATE report_document SET sha256 = :n WHERE sha256 = :p"),
                     {"n": notice, "p": paper})
    assert "report_document_unstored" in problems(engine)  # the record names the report


def test_without_a_renderer_nothing_is_rendered(
    engine: Engine, ctx: Context, clock: FixedClock, office: Office
) -> None:
    report = announced_report(engine, ctx, clock, office, posted=False, papers=False)
    with read_session(engine) as session:
        details = report_announce_details(session, report_id=report.id)
        count = session.connection().execute(sa.text(
            "SELECT count(*) FROM report_document")).scalar()
    assert details is not None and "documents" not in details and "signer" not in details
    assert count == 0
    assert problems(engine) == set()
