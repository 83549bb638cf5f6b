"""Deployment choices where the law reads two ways (docs/domain.md "Counting days"), as data."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import CountingMode


@dataclass(frozen=True)
class WorkflowPolicy:
    counting_mode: CountingMode = CountingMode.STRICT
    # Keep the notice up through the next working day when P+30 is not a working day.
    conservative_minimum_posting: bool = False
    # Amending is the executive's power; by default an amendment skips committee review.
    amendment_requires_committee: bool = False
