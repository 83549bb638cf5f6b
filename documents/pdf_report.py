"""The monitoring report as a Thai PDF (docs/domain.md "The report's figures"): a heading, the
figures per strategy and overall against both denominators, the money, equipment apart, the
per-project list, and the committee's findings and recommendations. Set by the same engine as
the plan (documents/pdf.py: WeasyPrint, the fixed-up Laksaman faces, the corrected text
layer, so Thai such as สำเร็จ and ดำเนินการ extracts as typed); dates in B.E."""

from __future__ import annotations

from documents.report_view import view
from workflow.report_figures import ReportFigures, ReportHeading


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.splitlines() if p.strip())


def render_report_pdf(
    figures: ReportFigures, *, heading: ReportHeading, findings: str, recommendations: str
) -> bytes:
    """The report's PDF (A4 landscape)."""
    from documents.pdf import render

    return render(
        "report.html",
        r=view(figures, heading),
        findings=_paragraphs(findings),
        recommendations=_paragraphs(recommendations),
    )
