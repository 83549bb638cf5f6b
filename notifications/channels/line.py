"""LINE Messaging API push messages, through the official line-bot-sdk v3 (the only module that
imports it; docs/operations.md "LINE").

One delivery is one push to a user id (`U…`) or a group id (`C…`) with the channel access
token of the plan's organization (or the installation's). The text is cut into at most
`MAX_MESSAGES` text messages of at most `MAX_TEXT` characters (LINE's limits). Every retry of a
delivery sends the same `X-Line-Retry-Key` (a UUID derived from the delivery key), so LINE
accepts it once; its 409 for a key already accepted counts as delivered. A 429 is retried after
its Retry-After, a 5xx or a network error with the outbox's back-off, any other 4xx fails for
good (a wrong token or id does not heal by waiting).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from models.alert import Channel
from notifications.channels.base import ChannelError, Outgoing

MAX_TEXT = 5000  # characters per text message
MAX_MESSAGES = 5  # text messages per push
DEFAULT_HOST = "https://api.line.me"
RETRY_KEYS = uuid.UUID("6c6f6361-6c70-6c61-6e00-6c696e650000")  # namespace of retry keys
INSTALLATION = ""  # the key of the installation's own channel in `tokens`


@dataclass(frozen=True)
class LineSettings:
    """Channel access tokens by organization code (`INSTALLATION`: the installation's one)."""

    tokens: Mapping[str, str] = field(default_factory=dict)
    host: str = DEFAULT_HOST
    timeout_seconds: float = 10.0

    def token_for(self, org_code: str) -> str | None:
        return self.tokens.get(org_code) or self.tokens.get(INSTALLATION)


def split_text(text: str) -> list[str]:
    """At most MAX_MESSAGES pieces of at most MAX_TEXT characters, cut at line ends where
    possible; what does not fit is cut off with an ellipsis (the link comes first)."""
    pieces: list[str] = []
    rest = text.strip()
    while rest and len(pieces) < MAX_MESSAGES:
        if len(rest) <= MAX_TEXT:
            pieces.append(rest)
            rest = ""
            break
        cut = rest.rfind("\n", 0, MAX_TEXT)
        cut = cut if cut > MAX_TEXT // 2 else MAX_TEXT
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest:
        pieces[-1] = pieces[-1][: MAX_TEXT - 1] + "…"
    return pieces or ["-"]


def retry_key(delivery_key: str) -> str:
    return str(uuid.uuid5(RETRY_KEYS, delivery_key))


def signature(secret: str, body: bytes) -> str:
    """X-Line-Signature: base64 of the HMAC-SHA256 of the raw body under the channel secret."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """A webhook call's signature, compared in constant time (as the SDK's SignatureValidator,
    but over the raw bytes: a body that is not UTF-8 is refused, not an error)."""
    return hmac.compare_digest(signature(secret, body).encode(), header.encode("utf-8", "replace"))


class LineSender:
    channel = Channel.LINE

    def __init__(self, settings: LineSettings) -> None:
        self.settings = settings

    def prepare(self) -> None:
        """Import the SDK now (it takes a second or more), off the first push's clock."""
        importlib.import_module("linebot.v3.messaging")

    def send(self, out: Outgoing) -> None:
        from linebot.v3.messaging import (  # type: ignore[import-untyped]
            ApiClient,
            ApiException,
            Configuration,
            MessagingApi,
            PushMessageRequest,
            TextMessage,
        )

        org_code = str(out.data.get("org_code", INSTALLATION))
        token = self.settings.token_for(org_code)
        if token is None:
            raise ChannelError(f"line: no channel access token for {org_code!r}", permanent=True)
        if not out.address:
            raise ChannelError("line: no user or group id", permanent=True)
        request = PushMessageRequest(
            to=out.address, messages=[TextMessage(text=t) for t in split_text(out.text)]
        )
        config = Configuration(access_token=token, host=self.settings.host)
        try:
            with ApiClient(config) as client:
                MessagingApi(client).push_message(
                    request,
                    x_line_retry_key=retry_key(out.key),
                    _request_timeout=self.settings.timeout_seconds,
                )
        except ApiException as err:
            _raise_for(int(err.status or 0), err.headers or {}, err.body)
        except OSError as err:
            raise ChannelError(f"line: {type(err).__name__}: {err}") from err
        except Exception as err:  # urllib3's errors (timeouts, refused connections)
            if type(err).__module__.startswith("urllib3"):
                raise ChannelError(f"line: {type(err).__name__}: {err}") from err
            raise


def _raise_for(status: int, headers: Mapping[str, str], body: object) -> None:
    """Turn LINE's answer into the outbox's verdict (409 with our retry key: accepted)."""
    if status == 409 and any(k.lower() == "x-line-accepted-request-id" for k in headers):
        return
    text = body.decode("utf-8", "replace")[:300] if isinstance(body, bytes) else str(body)[:300]
    if status == 429:
        raise ChannelError(f"line: HTTP 429 {text}", retry_after=_retry_after(headers))
    if status >= 500 or status == 0:
        raise ChannelError(f"line: HTTP {status} {text}")
    raise ChannelError(f"line: HTTP {status} {text}", permanent=True)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(float(value), 0.0)
            except ValueError:
                return None
    return None
