"""Webhooks: a JSON body POSTed to one URL, signed with HMAC-SHA256.

Headers: `X-Localplan-Delivery` (the delivery id: the same on every retry, so a receiver can
drop duplicates) and `X-Localplan-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body
under the shared secret. Any 2xx answer counts as delivered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from models.alert import Channel
from notifications.channels.base import ChannelError, Outgoing

SIGNATURE_HEADER = "X-Localplan-Signature"
DELIVERY_HEADER = "X-Localplan-Delivery"


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: str
    timeout_seconds: float = 10.0


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """For receivers (and tests): constant-time comparison of the signature header."""
    return hmac.compare_digest(sign(secret, body), signature)


def body_of(out: Outgoing) -> bytes:
    document: dict[str, Any] = {
        "delivery_id": out.key,
        "kind": out.kind,
        "plan_id": out.plan_id,
        "subject": out.subject,
        "text": out.text,
        "data": out.data,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


class WebhookSender:
    channel = Channel.WEBHOOK

    def __init__(self, settings: WebhookSettings) -> None:
        self.settings = settings

    def send(self, out: Outgoing) -> None:
        body = body_of(out)
        request = urllib.request.Request(
            out.address or self.settings.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "localplan-webhook/1",
                DELIVERY_HEADER: out.key,
                SIGNATURE_HEADER: sign(self.settings.secret, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as reply:
                status = reply.status
        except urllib.error.HTTPError as err:
            err.close()
            raise ChannelError(f"webhook: HTTP {err.code}") from err
        except (urllib.error.URLError, OSError) as err:
            raise ChannelError(f"webhook: {type(err).__name__}: {err}") from err
        if not 200 <= status < 300:
            raise ChannelError(f"webhook: HTTP {status}")
