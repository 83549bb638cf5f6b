"""Secrets never in logs: `?access_token=` and the like are redacted in the access log."""

from __future__ import annotations

import logging
import logging.config
import os
from pathlib import Path

import httpx2
import pytest
import uvicorn.config

from api import log_redact
from tests.serve import ServeProcess


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/me?access_token=lp_abc", "/api/v1/me?access_token=[redacted]"),
        ("/x?a=1&TOKEN=s3&b=2", "/x?a=1&TOKEN=[redacted]&b=2"),
        ("/x?password=hunter2#f", "/x?password=[redacted]#f"),
        ("/x?tokens=keep&my_token=keep", "/x?tokens=keep&my_token=keep"),
        ("/signin?next=/dashboard", "/signin?next=/dashboard"),
    ],
)
def test_redact(path: str, expected: str) -> None:
    assert log_redact.redact(path) == expected


def test_the_filter_survives_uvicorns_logging_setup_and_rewrites_the_record() -> None:
    log_redact.install()
    log_redact.install()  # once only
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)  # what uvicorn.run does
    logger = logging.getLogger(log_redact.ACCESS_LOGGER)
    assert sum(isinstance(f, log_redact.RedactSecrets) for f in logger.filters) == 1
    record = logger.makeRecord(
        logger.name,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/api/v1/me?access_token=lp_abc", "1.1", 200),
        None,
    )
    assert logger.filter(record)
    assert "lp_abc" not in record.getMessage() and "[redacted]" in record.getMessage()


@pytest.mark.slow
def test_served_access_log_has_no_token(tmp_path: Path) -> None:
    env = {**os.environ, "LOCALPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    serve = ServeProcess(env, tmp_path / "serve.log")
    try:
        serve.start()
        answer = httpx2.get(f"{serve.base_url}/api/v1/me?access_token=lp_secret_in_url", timeout=10)
        assert answer.status_code in (401, 422)
    finally:
        serve.stop()
    log = serve.log.read_text()
    assert "/api/v1/me?access_token=[redacted]" in log
    assert "lp_secret_in_url" not in log
