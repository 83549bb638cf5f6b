"""`POST /api/v1/line/webhook`: LINE's calls (docs/operations.md "LINE"). The X-Line-Signature
must be the HMAC-SHA256 of the raw body under a configured channel secret (the installation's
or an organization's); the secret that matches names the channel. Follow, join, message and
member events record the user and group ids for an admin to link (notifications.line_contacts).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Header, Request
from pydantic import BaseModel

from api.auth import Unauthenticated
from api.deps import ServicesDep
from api.routes.common import problems
from api.routing import Routes
from api.scheduler_settings import line_secrets
from models.db import write_session
from notifications.channels.line import signature_ok
from notifications.line_contacts import record_events
from workflow.errors import NotFound, ValidationFailed, reason

router = Routes(prefix="/line", tags=["line"], responses=problems(401, 404, 422))
MAX_BODY = 1_000_000


class BadSignature(Unauthenticated):
    code = "line_signature"


class Received(BaseModel):
    events: int
    new_contacts: int


def _channel_of(secrets: dict[str, str], body: bytes, header: str) -> str:
    for channel, secret in secrets.items():
        if header and signature_ok(secret, body, header):
            return channel
    raise BadSignature(
        [
            reason(
                "line_signature",
                "ลายมือชื่อ X-Line-Signature ไม่ถูกต้อง",
                "the X-Line-Signature does not match the body",
            )
        ]
    )


def _events(body: bytes) -> list[dict[str, Any]]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValidationFailed(
            [reason("line_body", "ข้อมูลจาก LINE ไม่ใช่ JSON", f"not JSON: {err}")]
        ) from err
    events = document.get("events") if isinstance(document, dict) else None
    if not isinstance(events, list):
        raise ValidationFailed(
            [reason("line_body", "ข้อมูลจาก LINE ไม่มี events", "the body has no events list")]
        )
    return [e for e in events if isinstance(e, dict)]


@router.post(
    "/webhook",
    response_model=Received,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "object"},
                    "examples": {
                        "follow": {
                            "summary": "someone adds the office's account",
                            "value": {
                                "destination": "U0123456789abcdef0123456789abcdef",
                                "events": [{"type": "follow", "source": {"type": "user"}}],
                            },
                        }
                    },
                }
            },
        }
    },
)
async def webhook(
    request: Request,
    services: ServicesDep,
    x_line_signature: Annotated[str, Header(max_length=200)] = "",
) -> Received:
    """LINE's webhook: signed events whose user and group ids are recorded."""
    secrets = line_secrets(services.settings)
    if not secrets:
        raise NotFound(
            [reason("line_off", "ยังไม่ได้ตั้งค่า LINE", "no LINE channel secret is configured")]
        )
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ValidationFailed([reason("line_body", "ข้อมูลยาวเกิน", "the body is too long")])
    channel = _channel_of(secrets, body, x_line_signature)
    events = _events(body)

    def work() -> int:
        with write_session(services.engine) as session:
            return record_events(session, events, channel=channel, clock=services.clock)

    added = await services.write(work)
    return Received(events=len(events), new_contacts=added)
