"""The shared vocabulary: every clock has its duty in Thai and English."""

from __future__ import annotations

import re

from models.enums import DeadlineKind
from models.labels import CLOCK_LABELS

THAI = re.compile("[\u0e00-\u0e7f]")


def test_every_clock_has_a_thai_and_an_english_duty() -> None:
    assert set(CLOCK_LABELS) == set(DeadlineKind)
    for th, en in CLOCK_LABELS.values():
        assert THAI.search(th)
        assert en.isascii() and en


def test_the_clock_labels_read_as_the_regulation_says() -> None:
    assert CLOCK_LABELS[DeadlineKind.POSTING] == ("ปิดประกาศโดยเปิดเผย", "Post the plan publicly")

