"""QR codes on the papers (segno only here): the link to the online notice."""

from __future__ import annotations

import base64


def qr_svg_uri(text: str) -> str:
    """An SVG QR code of `text` as a data: URI (the same text gives the same bytes)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")
