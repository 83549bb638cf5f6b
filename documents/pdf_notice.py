"""The ประกาศ's words in the official form (docs/domain.md "Documents"), for the PDF and the
web print page alike: one function says what the subject, the body, the date and the
signature read, so both surfaces print the same numbering once and consistently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.enums import PlanKind
from models.thai_dates import format_thai_date_official
from workflow.papers import Capacity, Signer

PLAN_WORDS = {
    PlanKind.ANNUAL: "แผนการดำเนินงาน",
    PlanKind.SUPPLEMENTARY: "แผนการดำเนินงานเพิ่มเติม",
    PlanKind.AMENDMENT: "แผนการดำเนินงานแก้ไข",
}
REGULATION = (
    "ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2548 "
    "และที่แก้ไขเพิ่มเติมถึง (ฉบับที่ 3) พ.ศ. 2561"
)
BLANK_NAME = "\u00a0" * 40  # a line left for the name written by hand


@dataclass(frozen=True)
class NoticeView:
    """Every line of the ประกาศ as printed."""

    organization: str
    subject: str
    body: tuple[str, ...]
    places: tuple[str, ...]
    dated: str
    signer_name: str
    signer_lines: tuple[str, ...]
    emblem_uri: str | None
    online_url: str | None
    qr_uri: str | None


def plan_phrase(kind: PlanKind, number: int, fiscal_year_be: int) -> str:
    """'แผนการดำเนินงานเพิ่มเติม ครั้งที่ 2 ประจำปีงบประมาณ พ.ศ. 2562': the numbering once
    (an annual plan has none: there is one a year)."""
    numbering = "" if kind is PlanKind.ANNUAL else f" ครั้งที่ {number}"
    return f"{PLAN_WORDS[kind]}{numbering} ประจำปีงบประมาณ พ.ศ. {fiscal_year_be}"


def clause(kind: PlanKind) -> str:
    """Clause 26 makes the annual plan; clause 27 a supplementary plan or an amendment."""
    return "ข้อ 26" if kind is PlanKind.ANNUAL else "ข้อ 27"


def signer_lines(signer: Signer) -> tuple[str, ...]:
    """The lines under the name: the position, and for an acting signer in what capacity
    for whom ("ปฏิบัติราชการแทน" / "รักษาราชการแทน" and the executive's position)."""
    if signer.capacity is Capacity.EXECUTIVE:
        return (signer.position,)
    acting = "รักษาราชการแทน" if signer.capacity is Capacity.ACTING else "ปฏิบัติราชการแทน"
    return (signer.position, acting, signer.for_position or "")


def notice_view(
    *,
    organization: str,
    kind: PlanKind,
    number: int,
    fiscal_year_be: int,
    announced_on: date,
    signer: Signer,
    places: tuple[str, ...],
    emblem_uri: str | None,
    online_url: str | None,
) -> NoticeView:
    phrase = plan_phrase(kind, number, fiscal_year_be)
    body = (
        f"อาศัยอำนาจตามความใน{clause(kind)} แห่ง{REGULATION} {organization}"
        f" ได้จัดทำ{phrase} เสร็จเรียบร้อยแล้ว",
        f"จึงประกาศใช้{phrase} ให้ประชาชนทราบโดยทั่วกัน "
        "และปิดประกาศไว้โดยเปิดเผยไม่น้อยกว่าสามสิบวัน ณ สถานที่ดังต่อไปนี้",
    )
    qr = None
    if online_url:
        from documents.qr import qr_svg_uri

        qr = qr_svg_uri(online_url)
    return NoticeView(
        organization=organization,
        subject=f"ประกาศใช้{phrase}",
        body=body,
        places=places,
        dated=f"ประกาศ ณ {format_thai_date_official(announced_on)}",
        signer_name=f"({signer.name or BLANK_NAME})",
        signer_lines=signer_lines(signer),
        emblem_uri=emblem_uri,
        online_url=online_url,
        qr_uri=qr,
    )
