"""The papers as PDF (WeasyPrint only here): the ประกาศ and the plan book (docs/domain.md
"Documents").

HTML from the templates under documents/templates is set by WeasyPrint (Pango and HarfBuzz
shape the Thai) in the fixed-up Laksaman faces (documents/pdf_fonts.py), then the text layer
is corrected (documents/pdf_text.py). Nothing is fetched while rendering: the url fetcher
answers only data: URLs (emblem, QR code) and the font files. The same inputs give the same
bytes: no timestamps, a fixed file identifier.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from documents import pdf_fonts, pdf_text

TEMPLATES = Path(__file__).parent / "templates"


class NetworkRefused(OSError):
    """A template asked for something outside the process (never allowed)."""


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(name: str, **values: Any) -> str:
    """The HTML of one template, with the font faces it is set in."""
    from markupsafe import Markup

    template = _environment().get_template(name)
    return str(template.render(font_css=Markup(pdf_fonts.font_faces_css()), **values))


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    fonts = pdf_fonts.cache_dir().as_uri()

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        """data: URLs and our own font files; anything else is refused."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or url.startswith(fonts + "/"):
                return super().fetch(url, headers)
            raise NetworkRefused(f"refused while rendering: {url[:80]}")

    return LocalOnly(allowed_protocols=("data", "file"))


def html_to_pdf(html: str) -> bytes:
    """A PDF of the HTML with its text layer corrected."""
    from weasyprint import HTML

    raw = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=_fetcher()).write_pdf(
        pdf_identifier=pdf_text.FIXED_ID, uncompressed_pdf=False
    )
    return pdf_text.correct_text_layer(bytes(raw))


def render(name: str, **values: Any) -> bytes:
    return html_to_pdf(render_template(name, **values))
