"""The Thai fonts the PDFs are set in, fixed up so the text layer reads back (docs/domain.md
"Documents": SARA AM).

The fonts are Debian's fonts-thai-tlwg (Laksaman, the TH Sarabun family's relative), never
fetched. HarfBuzz's Thai shaper decomposes SARA AM (U+0E33) into NIKHAHIT + SARA AA glyphs,
one cluster with any tone mark between them; WeasyPrint's ToUnicode map gives each glyph the
text it first stood for, and a glyph not last in its cluster gets nothing, so "ดำเนินงาน" read
back as "ดาเนินงาน" (SARA AA's glyph already meant า). Two steps fix it:
1. `fixed_font`: a copy of the font with one more glyph, SARA AA as drawn after NIKHAHIT
   (same outline), substituted by a contextual GSUB lookup run after the font's own. Only
   that glyph stands for ำ, so a map from glyph to text can say so.
2. `text_map`: the ToUnicode entries rebuilt from the glyphs' names (uniXXXX[.variant] is
   the character XXXX): NIKHAHIT's glyphs give nothing, the new glyph gives ำ, every other
   glyph its own character, so a tone mark first met inside a SARA AM cluster is not lost.
The price: a NIKHAHIT written on its own (U+0E4D, Pali spellings) reads back as nothing; it
shows correctly. tests/documents/test_pdf_text.py pins both.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Any

SYSTEM_DIR = Path("/usr/share/fonts/truetype/tlwg")
FACES = {"regular": "Laksaman.ttf", "bold": "Laksaman-Bold.ttf"}
FAMILY = "LocalplanThai"  # the fixed-up copies' family, never confused with the system's
AM_GLYPH = "uni0E32.am"
NIKHAHIT = 0x0E4D
SARA_AM = "\u0e33"
_NAME = re.compile(r"^uni([0-9A-F]{4})(?:\.|$)")


class FontMissing(RuntimeError):
    """fonts-thai-tlwg is not installed (Debian: apt-get install fonts-thai-tlwg)."""


def cache_dir() -> Path:
    """Where the fixed-up fonts are written once per process (a private temporary dir)."""
    import tempfile

    return Path(tempfile.gettempdir()) / "localplan-fonts"


@functools.cache
def fixed_font(face: str) -> Path:
    """The fixed-up copy of one face (see the module docstring), made on first use."""
    source = SYSTEM_DIR / FACES[face]
    if not source.is_file():
        raise FontMissing(f"{source} not found: install Debian's fonts-thai-tlwg")
    data = source.read_bytes()
    target = cache_dir() / f"{FAMILY}-{face}-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{id(target)}.part")
        _fix(source, partial)
        partial.replace(target)
    return target


def _fix(source: Path, target: Path) -> None:
    """Add the SARA AA-after-NIKHAHIT glyph and the lookup that uses it."""
    from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), recalcTimestamp=False)
    order = font.getGlyphOrder()
    font.setGlyphOrder([*order, AM_GLYPH])
    glyf = font["glyf"]
    glyf.glyphOrder = font.getGlyphOrder()
    import copy

    glyf.glyphs[AM_GLYPH] = copy.deepcopy(glyf["uni0E32"])
    font["hmtx"].metrics[AM_GLYPH] = font["hmtx"].metrics["uni0E32"]
    font["maxp"].numGlyphs = len(font.getGlyphOrder())
    if "post" in font:
        font["post"].extraNames = [*getattr(font["post"], "extraNames", []), AM_GLYPH]
    nikhahit = [g for g in order if g.startswith("uni0E4D")]
    tones = [g for g in order if re.match(r"^uni0E4[89AB](\.|$)", g)]
    feature = f"""
languagesystem DFLT dflt; languagesystem thai dflt;
@NIK = [{" ".join(nikhahit)}]; @TONE = [{" ".join(tones)}];
lookup saraAm {{ sub @NIK uni0E32' by {AM_GLYPH}; sub @NIK @TONE uni0E32' by {AM_GLYPH}; }} saraAm;
feature rlig {{ script thai; lookup saraAm; }} rlig;
"""
    _keep_classes(font)
    addOpenTypeFeaturesFromString(font, feature, tables=["GSUB"])
    font.save(str(target))


def _keep_classes(font: Any) -> None:
    """The new glyph is a base glyph like SARA AA (GDEF), so mark positioning skips it."""
    gdef = font["GDEF"].table
    if gdef.GlyphClassDef is not None:
        classes = gdef.GlyphClassDef.classDefs
        classes[AM_GLYPH] = classes.get("uni0E32", 1)


@functools.cache
def glyph_texts(face: str) -> dict[int, str]:
    """Glyph id → the text it stands for, by glyph name (ids are the fixed font's; WeasyPrint
    keeps them when it subsets)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(fixed_font(face)), lazy=True) as font:
        order = font.getGlyphOrder()
    texts: dict[int, str] = {}
    for gid, name in enumerate(order):
        if name == AM_GLYPH:
            texts[gid] = SARA_AM
            continue
        match = _NAME.match(name)
        if match:
            code = int(match.group(1), 16)
            texts[gid] = "" if code == NIKHAHIT else chr(code)
    return texts


def text_map(face: str, written: dict[int, str]) -> dict[int, str]:
    """The ToUnicode entries a PDF font should carry: WeasyPrint's own (`written`) corrected
    where the glyph's name says what it is."""
    known = glyph_texts(face)
    return {gid: known.get(gid, text) for gid, text in written.items()}


def font_faces_css() -> str:
    """@font-face rules for the fixed-up faces (file: URLs the url fetcher allows)."""
    rules = []
    for face, weight in (("regular", "normal"), ("bold", "bold")):
        url = fixed_font(face).as_uri()
        rules.append(
            f"@font-face {{ font-family: '{FAMILY}'; font-weight: {weight}; src: url('{url}'); }}"
        )
    return "\n".join(rules)
