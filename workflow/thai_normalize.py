"""Project names and places in one written form, for finding duplicates (docs/domain.md
"Duplicates"): Thai digits as Arabic, the abbreviations offices use spelled out, หมู่/หมู่ที่/ม.
as one form, the places (village numbers, บ้าน…, ซอย…) taken apart from the work, and the work
segmented into words with pythainlp's newmm and its bundled dictionary (no download).
Pure; pythainlp is imported when a name is first normalized."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# (pattern, spelled out): the abbreviations of project names, longest first.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"รพ\.?\s*สต\.?", "โรงพยาบาลส่งเสริมสุขภาพตำบล"),
    (r"ค\.?ส\.?ล\.?", "คอนกรีตเสริมเหล็ก"),
    (r"อบต\.?", "องค์การบริหารส่วนตำบล"),
    (r"อบจ\.?", "องค์การบริหารส่วนจังหวัด"),
    (r"ทต\.", "เทศบาลตำบล"),
    (r"ศพด\.?", "ศูนย์พัฒนาเด็กเล็ก"),
    (r"อสม\.?", "อาสาสมัครสาธารณสุขประจำหมู่บ้าน"),
    (r"สนง\.?", "สำนักงาน"),
    (r"ร\.ร\.|รร\.", "โรงเรียน"),
    (r"(?<![ก-๙])ถ\.", "ถนน"),
    (r"(?<![ก-๙])ซ\.\s*", "ซอย "),
    (r"ฝึกอบรม", "อบรม"),  # the same act written two ways
    (r"^โครงการ\s*", ""),
)
_ABBREVIATIONS = [(re.compile(p), s) for p, s in ABBREVIATIONS]
_VILLAGE = re.compile(r"(?:หมู่(?!บ้าน)\s*(?:ที่)?|(?<![ก-๙])ม\.)\s*(\d{1,2})(?!\d)")
_NAMED = re.compile(r"((?<!หมู่)บ้าน|ชุมชน|ซอย|ลำห้วย)\s*([ก-๙]+|\d+)")
_ROUTE = re.compile(r"สาย\s*(?:บ้าน)?(?=[ก-๙])")  # สายนาเจริญ and สายบ้านนาเจริญ: one route
_PUNCT = re.compile(r"[\s\-–—()\[\]/,.:;\"'“”]+")
EVERYWHERE = ("ทุกหมู่บ้าน", "ทุกชุมชน", "ทั้งตำบล", "ตำบล")


@dataclass(frozen=True)
class Normalized:
    """A project's name as words (places taken out) and the places it names."""

    work: str  # words separated by one space
    villages: frozenset[int]
    places: frozenset[str]  # "บ้านหนองบัว", "ซอย4", …

    def key(self) -> str:
        """The stored form (`match_key`): work, villages and places, tab-separated."""
        villages = " ".join(str(v) for v in sorted(self.villages))
        return f"{self.work}\t{villages}\t{' '.join(sorted(self.places))}"


def from_key(key: str) -> Normalized:
    work, villages, places = [*key.split("\t"), "", ""][:3]
    return Normalized(
        work, frozenset(int(v) for v in villages.split()), frozenset(places.split())
    )


def spell_out(text: str) -> str:
    """NFC, Thai digits as Arabic, abbreviations spelled out, หมู่ N as หมู่ที่ N."""
    value = unicodedata.normalize("NFC", text).translate(THAI_DIGITS).strip()
    for pattern, spelled in _ABBREVIATIONS:
        value = pattern.sub(spelled, value)
    return _VILLAGE.sub(lambda m: f" หมู่ที่ {int(m.group(1))} ", value)


def normalize(name: str, location: str = "", village: int | None = None) -> Normalized:
    """The name's work and the places of the name, the location and the village."""
    name_text = _ROUTE.sub("สาย บ้าน", spell_out(name))
    location_text = spell_out(location)
    villages = {int(v) for v in re.findall(r"หมู่ที่ (\d+)", f"{name_text} {location_text}")}
    if village is not None:
        villages.add(village)
    places = {f"{kind}{place}" for kind, place in _NAMED.findall(f"{name_text} {location_text}")}
    work = _NAMED.sub(" ", re.sub(r"หมู่ที่ \d+", " ", name_text))
    return Normalized(" ".join(words(work)), frozenset(villages), frozenset(places))


def words(text: str) -> list[str]:
    """The text segmented into words (newmm), punctuation and spaces dropped."""
    return [w for w in _segment(_PUNCT.sub(" ", text).strip()) if w.strip()]


@lru_cache(maxsize=65536)
def _segment(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize  # heavy: first use only

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=False))
