"""The content's free-text fields as pydantic types (each by its input rule and length,
workflow/content_model.py)."""

from __future__ import annotations

from api.schemas.rules import text
from workflow import content_model as cm
from workflow import input_rules as rules

Name = text("name", cm.NAME_MAX)
Group = text("programme", cm.GROUP_MAX)
Detail = text("activity", cm.DETAIL_MAX, multiline=True)
Place = text("location", rules.PLACE_MAX)
Unit = text("unit", cm.UNIT_MAX)
Ref = text("ref", cm.REF_MAX)
Intro = text("introduction", cm.INTRO_MAX, multiline=True)
