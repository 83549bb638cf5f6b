"""A stand-in for LINE's Messaging API on 127.0.0.1: watch localplan's LINE pushes without a LINE
account (docs/operations.md "Watching alerts without real accounts"), and send it signed
webhook events as LINE would. Standard library only; the tests use it as their receiver.

    python docs/line_receiver.py --port 8026 --token dev-token
    LOCALPLAN_LINE_API_HOST=http://127.0.0.1:8026 LOCALPLAN_LINE_CHANNEL_TOKEN=dev-token \\
    LOCALPLAN_LINE_CHANNEL_SECRET=dev-secret localplan serve
    python docs/line_receiver.py --follow http://127.0.0.1:8000/api/v1/line/webhook \\
        --secret dev-secret --user U0123456789abcdef0123456789abcdef

Each push is checked as LINE's API reference describes it (POST /v2/bot/message/push,
`Authorization: Bearer <token>`, a JSON body `{"to", "messages": [{"type": "text", "text"}]}`
with 1–5 messages of at most 5000 characters, `X-Line-Retry-Key` a UUID when sent) and
printed; a repeated retry key is answered 409 with `x-line-accepted-request-id`, as LINE does.
`script` answers the next pushes with the given statuses first (429 with a Retry-After).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import re
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PUSH = "/v2/bot/message/push"
ID = re.compile(r"^[UCR][0-9a-f]{32}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass
class Receiver:
    """What the receiver saw: accepted pushes, requests that broke the reference, statuses."""

    token: str
    script: list[int] = field(default_factory=list)  # statuses to answer first
    retry_after: int = 1
    pushes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    repeats: int = 0  # pushes whose retry key was accepted before (answered 409)
    keys: dict[str, str] = field(default_factory=dict)  # retry key → request id
    lock: threading.Lock = field(default_factory=threading.Lock)
    quiet: bool = True

    def check(self, path: str, headers: Any, body: bytes) -> tuple[int, str]:
        """(status, problem) for one request, as LINE would judge it."""
        if path != PUSH:
            return 404, f"unknown path {path}"
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, "Authorization must be 'Bearer <channel access token>'"
        if not str(headers.get("Content-Type", "")).startswith("application/json"):
            return 400, "Content-Type must be application/json"
        key = headers.get("X-Line-Retry-Key")
        if key is not None and not UUID.match(key):
            return 400, f"X-Line-Retry-Key is not a UUID: {key}"
        try:
            document = json.loads(body.decode("utf-8"))
        except ValueError:
            return 400, "the body is not JSON"
        return self._check_body(document)

    def _check_body(self, document: Any) -> tuple[int, str]:
        if not isinstance(document, dict) or not ID.match(str(document.get("to", ""))):
            return 400, "'to' must be a user, group or room id"
        unknown = set(document) - {
            "to",
            "messages",
            "notificationDisabled",
            "customAggregationUnits",
        }
        if unknown:
            return 400, f"unknown fields {sorted(unknown)}"
        messages = document.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
            return 400, "'messages' must hold 1 to 5 messages"
        for m in messages:
            if not isinstance(m, dict) or m.get("type") != "text" or set(m) - {"type", "text"}:
                return 400, "every message must be {type: text, text}"
            text = m.get("text")
            if not isinstance(text, str) or not 1 <= len(text) <= 5000:
                return 400, "a text must be 1 to 5000 characters"
        return 200, ""


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status, problem = receiver.check(self.path, self.headers, body)
            key = self.headers.get("X-Line-Retry-Key")
            with receiver.lock:
                if problem:
                    receiver.problems.append(problem)
                elif key in receiver.keys:
                    receiver.repeats += 1
                    self._answer(409, {"message": "already accepted"}, key)
                    return
                elif receiver.script:
                    status = receiver.script.pop(0)
                if status == 200:
                    receiver.pushes.append(json.loads(body.decode("utf-8")))
                    if key:
                        receiver.keys[key] = uuid.uuid4().hex
                receiver.answered.append(status)
            if not receiver.quiet and status == 200:
                print(json.dumps(receiver.pushes[-1], ensure_ascii=False, indent=1), flush=True)
            self._answer(status, {"message": problem or "scripted"}, None)

        def _answer(self, status: int, problem: dict[str, str], accepted: str | None) -> None:
            body = (
                json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]})
                if status == 200
                else json.dumps(problem)
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-line-request-id", uuid.uuid4().hex)
            if status == 429:
                self.send_header("Retry-After", str(receiver.retry_after))
            if accepted is not None:
                self.send_header("x-line-accepted-request-id", receiver.keys[accepted])
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

    return Handler


def start(receiver: Receiver, port: int = 0) -> ThreadingHTTPServer:
    """Serve on 127.0.0.1 in a thread; `server.server_address[1]` is the port."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(receiver))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}).start()
    return server


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def event(kind: str, *, user: str | None = None, group: str | None = None) -> dict[str, Any]:
    """A webhook event as LINE sends it (follow, join, message, unfollow, leave, …)."""
    source: dict[str, str] = {"type": "group", "groupId": group} if group else {"type": "user"}
    if user:
        source["userId"] = user
    found: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": source,
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
    }
    if kind == "message":
        found["message"] = {"type": "text", "id": "1", "text": "สวัสดีครับ"}
        found["replyToken"] = uuid.uuid4().hex
    return found


def post_events(url: str, secret: str, events: list[dict[str, Any]]) -> tuple[int, bytes]:
    """POST a signed webhook call; (status, body)."""
    body = json.dumps({"destination": "U" + "0" * 32, "events": events}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Line-Signature": sign(secret, body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8026)
    parser.add_argument("--token", default="dev-token")
    parser.add_argument("--follow", metavar="WEBHOOK_URL", help="send a follow event and exit")
    parser.add_argument("--secret", default="dev-secret")
    parser.add_argument("--user", default="U" + "0123456789abcdef" * 2)
    parser.add_argument("--group", help="send a join event for this group id as well")
    args = parser.parse_args()
    if args.follow:
        events = [event("follow", user=args.user)]
        if args.group:
            events.append(event("join", group=args.group))
        print(*post_events(args.follow, args.secret, events))
        return
    print(f"LINE stand-in on http://127.0.0.1:{args.port} (token {args.token}); Ctrl-C stops")
    server = start(Receiver(token=args.token, quiet=False), args.port)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
