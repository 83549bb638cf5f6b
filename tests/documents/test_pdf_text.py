"""The papers rendered for real (WeasyPrint, the Debian fonts) and read back: the text layer
gives the Thai as written (docs/domain.md "Documents": SARA AM), the same inputs give the
same bytes, the pages render to PNG, and nothing is fetched while rendering."""

from __future__ import annotations

import hashlib
from datetime import date

import pypdfium2 as pdfium
import pytest

from documents import pdf, pdf_notice, pdf_plan
from documents.pdf_text import extract
from documents.qr import qr_svg_uri
from models.enums import PlanKind
from tests.documents.plans import plan_content
from workflow.papers import Capacity, Signer

ORG = "องค์การบริหารส่วนตำบลแหลมรัง"
EXECUTIVE = Signer("นายสมชาย ใจดี", f"นายก{ORG}")
DEPUTY = Signer("นางสาวกำไล น้ำใจ", f"รองนายก{ORG}", Capacity.ACTING_FOR, f"นายก{ORG}")
PLACES = (f"ป้ายประกาศ ที่ทำการ{ORG}", "ที่ทำการผู้ใหญ่บ้านทุกหมู่บ้าน", "เว็บไซต์ https://laemrang.go.th")


def notice(signer: Signer = EXECUTIVE, kind: PlanKind = PlanKind.ANNUAL, number: int = 1) -> bytes:
    view = pdf_notice.notice_view(
        organization=ORG,
        kind=kind,
        number=number,
        fiscal_year_be=2562,
        announced_on=date(2018, 10, 25),
        signer=signer,
        places=PLACES,
        emblem_uri=None,
        online_url="https://localplan.example.go.th/notices/7",
    )
    return pdf.render("notice.html", n=view)


def book(projects: int = 12) -> bytes:
    made = pdf_plan.book(
        plan_content(projects),
        title="แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562",
        fiscal_year_be=2562,
        organization=ORG,
        district="บ้านนา",
        province="นครนายก",
        emblem_uri=None,
        content_version=2,
        content_sha256="ab" * 32,
    )
    return pdf.render("plan.html", b=made)


def one_line(pdf_bytes: bytes) -> str:
    """The text as a reader gets it, without spaces or line breaks (Thai has no word spaces,
    so a line may break inside a phrase)."""
    return "".join("".join(extract(pdf_bytes)).split())


def has(text: str, *phrases: str) -> bool:
    return all("".join(p.split()) in text for p in phrases)


@pytest.fixture(scope="module")
def the_notice() -> bytes:
    return notice()


@pytest.fixture(scope="module")
def the_book() -> bytes:
    return book()


def test_the_notice_reads_back_as_written(the_notice: bytes) -> None:
    text = one_line(the_notice)
    assert has(text, f"ประกาศ{ORG}", "เรื่อง ประกาศใช้แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562")
    assert has(text, "ประกาศ ณ วันที่ 25 ตุลาคม พ.ศ. 2561")  # day, month in full, พ.ศ.
    assert has(text, "(นายสมชาย ใจดี)", f"นายก{ORG}", "รายละเอียดแนบท้ายประกาศนี้", "ข้อ 26")
    assert has(text, "ที่ทำการผู้ใหญ่บ้านทุกหมู่บ้าน")  # ู and ่ kept
    assert "วันพฤหัสบดี" not in text and "ผู้บริหารท้องถิ่น" not in text


def test_sara_am_and_the_tone_marks_around_it_read_back(the_notice: bytes) -> None:
    """ดำเนินงาน, not ดาเนินงาน: SARA AM survives the shaping (documents/pdf_fonts.py)."""
    text = one_line(notice(DEPUTY))
    assert has(text, "ดำเนินงาน", "ประจำปี", "จัดทำ", "ตำบล", "อำนาจ", "(นางสาวกำไล น้ำใจ)")
    assert "ดาเนินงาน" not in text and "ตาบล" not in text
    assert has(text, f"รองนายก{ORG} ปฏิบัติราชการแทน นายก{ORG}")


def test_numbering_appears_once_and_consistently() -> None:
    text = one_line(notice(kind=PlanKind.SUPPLEMENTARY, number=2))
    phrase = "".join(["แผนการดำเนินงานเพิ่มเติม", "ครั้งที่", "2", "ประจำปีงบประมาณ", "พ.ศ.", "2562"])
    assert text.count(phrase) == 3  # the subject and the two sentences: one phrase
    assert text.count("ครั้งที่") == 3 and has(text, "ข้อ 27")


def test_the_book_reads_back_with_totals_and_separators(the_book: bytes) -> None:
    text = one_line(the_book)
    assert has(text, "แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562", "อำเภอบ้านนา จังหวัดนครนายก")
    assert has(text, "ส่วนที่ 1 บทนำ", "1.4 ประโยชน์ของแผนการดำเนินงาน", "ผด.01", "ผด.02/1")
    assert has(text, "2,625,000.50", "รวมครุภัณฑ์ทั้งสิ้น 132,000 บาท")  # thousands separated
    assert has(text, "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็กและวางท่อระบายน้ำ")
    assert has(text, "พ.ศ. 2561", "ต.ค.", "ก.ย.")


def test_the_same_inputs_give_the_same_bytes(the_notice: bytes) -> None:
    again = notice()
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(the_notice).hexdigest()
    assert b"CreationDate" not in the_notice and b"ModDate" not in the_notice


def test_a_nikhahit_written_alone_reads_back_as_nothing() -> None:
    """The documented price of the fix: U+0E4D on its own (Pali spellings) shows but is not
    in the text layer; SARA AM right beside it still is."""
    html = pdf.render_template("notice.html", n=None).split("<body>")[0]
    out = pdf.html_to_pdf(html + "<body><p>อํ ดำ</p></body></html>")
    assert one_line(out) == "อดำ"


def test_pdfium_reads_the_nikhahit_glyph_as_its_code() -> None:
    """Pinned: pdfium (Chrome's viewer) gives a glyph whose map is empty its character code,
    so each SARA AM comes out with one stray character before it; pypdf reads it exactly."""
    page = pdfium.PdfDocument(notice())[0]
    text = page.get_textpage().get_text_range()
    assert "ดำเนินงาน" not in text and "ำเนินงาน" in text


def test_every_page_renders_to_png(the_book: bytes, the_notice: bytes) -> None:
    for data, landscape in ((the_notice, False), (the_book, True)):
        document = pdfium.PdfDocument(data)
        widths = set()
        for page in document:
            image = page.render(scale=2).to_pil()
            assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank
            widths.add(image.width > image.height)
        assert widths == ({False, True} if landscape else {False})


def test_nothing_is_fetched_while_rendering(caplog: pytest.LogCaptureFixture) -> None:
    pdf.html_to_pdf('<img src="http://127.0.0.1:9/x.png"><p>ก</p>')
    assert "refused while rendering: http://127.0.0.1:9/x.png" in caplog.text


def test_the_qr_code_is_the_same_for_the_same_link() -> None:
    assert qr_svg_uri("https://x.example/notices/1") == qr_svg_uri("https://x.example/notices/1")
