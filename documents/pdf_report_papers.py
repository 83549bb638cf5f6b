"""The renderer the api hands to a monitoring report's announce command
(workflow/report_papers.py): the report's own ประกาศ, in the plan ประกาศ's layout
(templates/notice.html, documents/pdf_notice.py's lines and signature), and the report PDF
(documents/pdf_report.py: the figures as of the round's end, the committee's findings and
recommendations), as PDF bytes (docs/domain.md "Monitoring reports")."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from documents import pdf
from documents.pdf_emblem import png_uri
from documents.pdf_notice import BLANK_NAME, REGULATION, NoticeView, signer_lines
from documents.pdf_papers import places_in_words
from documents.pdf_report import render_report_pdf
from documents.report_view import round_span
from models.report import ReportDocumentKind
from models.thai_dates import format_thai_date_official
from workflow.report_papers import ReportAnnouncement, ReportRendered, ReportRenderer
from workflow.report_reads import round_end

SUBJECT = "รายงานผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น"


def report_phrase(round_: str, fiscal_year_be: int) -> str:
    """'รายงานผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น ประจำปีงบประมาณ พ.ศ. 2562 (รอบ 6 เดือน
    ตุลาคม 2561 – มีนาคม 2562)'."""
    months, span = round_span(round_, fiscal_year_be)
    return f"{SUBJECT} ประจำปีงบประมาณ พ.ศ. {fiscal_year_be} (รอบ {months} {span})"


def report_notice_view(paper: ReportAnnouncement, public_url: str | None) -> NoticeView:
    """Every line of the report's ประกาศ: clause 30 (5), the committee's result reported to
    the executive and presented to the council and the development committee on its date,
    announced to the public and posted at least thirty days at the office's places."""
    report, office = paper.report, paper.organization
    phrase = report_phrase(report.round.value, report.fiscal_year_be)
    presented = (
        f" เมื่อ{format_thai_date_official(report.presented_on)}" if report.presented_on else ""
    )
    body = (  # ตามที่ … นั้น / อาศัยอำนาจ … จึงประกาศ: the official form, one A4 page
        f"ตามที่คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่นของ{office.full_name}"
        " ได้รายงานผลและเสนอความเห็นซึ่งได้จากการติดตามและประเมินผลแผนพัฒนาท้องถิ่นต่อ"
        "ผู้บริหารท้องถิ่น และผู้บริหารท้องถิ่นได้เสนอต่อสภาท้องถิ่นและคณะกรรมการพัฒนาท้องถิ่น"
        f"{presented} แล้ว นั้น",
        f"อาศัยอำนาจตามความในข้อ 30 (5) แห่ง{REGULATION} จึงประกาศผลการติดตามและประเมินผล"
        "แผนพัฒนาท้องถิ่นดังกล่าวให้ประชาชนทราบโดยทั่วกัน และปิดประกาศไว้โดยเปิดเผย"
        "ไม่น้อยกว่าสามสิบวัน ณ สถานที่ดังต่อไปนี้",
    )
    online = online_url(public_url, report.id)
    qr = None
    if online:
        from documents.qr import qr_svg_uri

        qr = qr_svg_uri(online)
    return NoticeView(
        organization=office.full_name,
        subject=phrase,
        body=body,
        places=places_in_words(office),
        dated=f"ประกาศ ณ {format_thai_date_official(paper.announced_on)}",
        signer_name=f"({paper.signer.name or BLANK_NAME})",
        signer_lines=signer_lines(paper.signer),
        emblem_uri=None if paper.emblem is None else png_uri(paper.emblem),
        online_url=online,
        qr_uri=qr,
    )


def online_url(public_url: str | None, report_id: int) -> str | None:
    return None if not public_url else f"{public_url.rstrip('/')}/board/reports/{report_id}"


def report_pdf(session: Session, paper: ReportAnnouncement) -> bytes | None:
    """The report as of its round's end (31 March or 30 September) with the committee's
    text; None when it names no plan in force (there are no figures to print)."""
    from models import store
    from workflow.report_figures import ReportHeading, report_figures

    report = paper.report
    if report.plan_id is None:
        return None
    as_of: date = round_end(report)
    figures = report_figures(session, report.plan_id, as_of)
    plan = store.PLANS.row(session.connection(), report.plan_id)
    heading = ReportHeading(
        organization=paper.organization.full_name,
        fiscal_year_be=report.fiscal_year_be,
        round=report.round.value,
        as_of=as_of,
        plan_title="" if plan is None else plan.title,
    )
    return render_report_pdf(figures, heading=heading, findings=report.findings or "",
                             recommendations=report.recommendations or "")  # fmt: skip


def report_announce_renderer(public_url: str | None) -> ReportRenderer:
    """A ReportRenderer: the ประกาศ always, the report when it names a plan in force."""

    def render(session: Session, paper: ReportAnnouncement) -> list[ReportRendered]:
        notice = pdf.render("notice.html", n=report_notice_view(paper, public_url))
        made = [ReportRendered(ReportDocumentKind.NOTICE_PDF, notice)]
        body = report_pdf(session, paper)
        if body is not None:
            made.append(ReportRendered(ReportDocumentKind.REPORT_PDF, body))
        return made

    return render
