"""The record's hash is the SHA-256 of the canonical JSON of the whole record (docs/integrity.md),
whether its details come as a dict or as their canonical JSON text (what a command encodes
once and shares with the column and the outbox message)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from workflow.audit import canonical, record_hash
from workflow.report_audit import report_record_hash

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)


def plain(fields: dict[str, Any]) -> str:
    """The hash as docs/integrity.md states it, from the whole record at once."""
    content = {
        **fields,
        "effective_on": fields["effective_on"].isoformat(),
        "recorded_at": fields["recorded_at"].isoformat(),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@given(
    details=st.dictionaries(TEXT, JSONISH, max_size=4),
    comment=st.none() | TEXT,
    username=TEXT,
    from_state=st.none() | TEXT,
    request_id=st.none() | TEXT,
)
def test_the_hash_is_that_of_the_whole_canonical_record(
    details: dict[str, Any],
    comment: str | None,
    username: str,
    from_state: str | None,
    request_id: str | None,
) -> None:
    fields: dict[str, Any] = {
        "plan_id": 7,
        "organization_id": 3,
        "seq": 4,
        "action": "approve",
        "from_state": from_state,
        "to_state": "awaiting_announcement",
        "actor_user_id": None,
        "actor_username": username,
        "actor_role": "committee",
        "effective_on": date(2562, 1, 31),
        "recorded_at": datetime(2019, 1, 31, 5, 0, 0, 123456, tzinfo=UTC),
        "comment": comment,
        "request_id": request_id,
        "details": details,
        "prev_hash": "ab" * 32,
    }
    expected = plain(fields)
    assert record_hash(**fields) == expected
    assert record_hash(**{**fields, "details": canonical(details)}) == expected
    # A monitoring report's record: the same chain over its report_id (workflow/report_audit.py)
    report = {("report_id" if k == "plan_id" else k): v for k, v in fields.items()}
    assert report_record_hash(report) == plain(report) != expected
