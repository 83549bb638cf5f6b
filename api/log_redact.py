"""Secrets never reach the logs: query values that carry credentials (`?access_token=…`,
`?password=…`) are redacted in uvicorn's access log, whoever sent them."""

from __future__ import annotations

import logging
import re

SECRET_NAMES = ("access_token", "refresh_token", "token", "password", "client_secret")
REDACTED = "[redacted]"
_NAMES = "|".join(re.escape(n) for n in SECRET_NAMES)
_SECRET_VALUE = re.compile(rf"(?i)([?&;](?:{_NAMES})=)[^&;#\s\"]*")
ACCESS_LOGGER = "uvicorn.access"


def redact(text: str) -> str:
    """The text with the value of each secret query parameter replaced."""
    return _SECRET_VALUE.sub(lambda m: m.group(1) + REDACTED, text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message and string arguments (uvicorn's access record carries the
    path with its query string as an argument); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    """Put the filter on uvicorn's access logger (once; it survives uvicorn's own logging
    set-up, which replaces handlers but keeps a logger's filters)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
