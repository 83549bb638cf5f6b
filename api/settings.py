"""Settings from LOCALPLAN_* environment variables, built once and handed down."""

from __future__ import annotations

import ipaddress
from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.settings_quick import (
    DEFAULT_CONSERVATIVE_MINIMUM_POSTING,
    DEFAULT_COUNTING_MODE,
    DEFAULT_DATABASE_URL,
)
from models.blobs import BlobStore, default_dir
from models.enums import CountingMode
from workflow.evidence_rules import EvidencePolicy, Requirement
from workflow.policy import WorkflowPolicy


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOCALPLAN_", extra="ignore")

    # These three defaults are shared with `api.settings_quick` (the CLI's fast path).
    database_url: str = DEFAULT_DATABASE_URL
    db_pool_size: int = 5
    counting_mode: CountingMode = DEFAULT_COUNTING_MODE
    conservative_minimum_posting: bool = DEFAULT_CONSERVATIVE_MINIMUM_POSTING
    amendment_requires_committee: bool = False
    # HTTP API: login tokens' lifetime and the failed-login limits (api/throttling.py).
    login_token_minutes: int = Field(default=480, ge=1, le=60 * 24 * 30)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_max_failures_per_pair: int = Field(default=5, ge=1)  # one username, one address
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_free_failures_per_username: int = Field(default=5, ge=0)  # then a growing delay
    login_delay_seconds: float = Field(default=1, gt=0, le=3600)
    login_max_delay_seconds: float = Field(default=60, gt=0, le=3600)
    # Commands on plans outside the caller's scope, per user and window, before 429.
    unseen_max_attempts: int = Field(default=20, ge=1)
    unseen_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Proxies whose X-Forwarded-For / Forwarded headers are believed (addresses or networks,
    # a JSON list such as ["10.0.0.5", "10.1.0.0/16"]); none by default (api/proxies.py).
    trusted_proxies: list[str] = Field(default_factory=list)
    # Scheduler and notifications; see docs/operations.md.
    sweep_interval_seconds: float = Field(default=60, gt=0, le=3600)
    delivery_interval_seconds: float = Field(default=60, gt=0, le=3600)
    heartbeat_interval_seconds: float = Field(default=30, gt=0, le=3600)
    scheduler_misfire_grace_seconds: int = Field(default=300, ge=1)
    auto_complete_posting: bool = True
    # Monitoring reports (docs/operations.md "Monitoring reports"): the scheduler opens each
    # organization's yearly floor (clause 30 (5)) when a fiscal year ends.
    monitoring_yearly_floor: bool = True
    # The day of April from which the 6-month round's report is reminded (no legal clock).
    monitoring_half_reminder_day: int | None = Field(default=15, ge=1, le=30)
    alert_time: time = time(7, 0)  # alerts of a legal day are due from this local time
    alert_reminder_days: list[int] = Field(default=[7, 3, 1, 0])
    alert_last_working_day_warning: bool = True
    alert_overdue_repeat_days: int = Field(default=7, ge=1)
    alert_escalate: bool = True
    alert_escalate_from_week: int = Field(default=0, ge=0)
    alert_catch_up: Literal["latest", "all"] = "latest"
    delivery_max_attempts: int = Field(default=8, ge=1)
    delivery_backoff_seconds: float = Field(default=60, gt=0)
    delivery_backoff_max_seconds: float = Field(default=6 * 3600, gt=0)
    delivery_lease_seconds: float = Field(default=300, gt=0)
    delivery_batch_size: int = Field(default=100, ge=1)
    digest_enabled: bool = True
    digest_time: time = time(8, 30)
    digest_horizon_days: int = Field(default=7, ge=0)
    # The transparency checklist's reminders (workflow/ita_reminders.py): from this many days
    # before an ITA year's evidence window opens, once a day at or after `ita_reminder_time`.
    ita_reminders_enabled: bool = True
    ita_reminder_days_before: int = Field(default=14, ge=0, le=365)
    ita_reminder_time: time = time(8, 30)
    api_docs: bool = True  # the interactive reference at /docs (local files, no CDN)
    # Spreadsheet import (documents/workbook_safety.py): the largest file and sheet accepted.
    workbook_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    workbook_max_rows: int = Field(default=20_000, ge=10, le=1_000_000)
    public_url: str | None = None  # links in texts, e.g. https://localplan.example.go.th
    # Render and store the ประกาศ and the plan book at each announcement (documents/).
    documents_at_announce: bool = True
    # The installation's checkpoint signing key (`localplan keys init`); unset: no signing.
    signing_key_file: str | None = None
    checkpoint_time: time = time(1, 0)  # the scheduler signs the day's checkpoint from then
    # Public keys of earlier (rotated) signing keys, published beside the current one:
    # a JSON list of the "vkey" lines `localplan keys show` printed for them.
    verifier_keys: list[str] = Field(default=[])
    smtp_host: str | None = None  # e-mail is off unless set
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_implicit_tls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "localplan <localplan@localhost>"
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    smtp_ca_file: str | None = None
    # Evidence (docs/operations.md "The evidence store"): the directory every process shares
    # (default: `<the SQLite file's stem>-evidence` beside it), the size limit of one file,
    # and whether an action's evidence is recommended or required on the checklist.
    evidence_dir: str | None = None
    evidence_max_mb: float = Field(default=15, gt=0, le=1024)
    evidence_policy: Requirement = Requirement.RECOMMENDED
    # `localplan evidence gc` keeps unreferenced files younger than this (an upload in flight).
    evidence_gc_grace_hours: float = Field(default=24, ge=0)
    webhook_url: str | None = None  # webhooks are off unless set
    webhook_secret: SecretStr | None = None
    webhook_timeout_seconds: float = Field(default=10, gt=0)
    # Hand a command's messages to delivery as soon as it commits (api/immediate.py).
    delivery_immediate: bool = True
    # LINE Messaging API (docs/operations.md "LINE"): one channel for the installation, and/or
    # one per organization (JSON objects keyed by the organization's code). Secrets stay in
    # the environment, never in the database.
    line_channel_token: SecretStr | None = None
    line_channel_secret: SecretStr | None = None
    line_channel_tokens: dict[str, SecretStr] = Field(default_factory=dict)
    line_channel_secrets: dict[str, SecretStr] = Field(default_factory=dict)
    line_api_host: str = "https://api.line.me"
    line_timeout_seconds: float = Field(default=10, gt=0)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item.strip(), strict=False)  # ValueError: not an address
        return [item.strip() for item in value]

    def evidence_store(self) -> BlobStore:
        """The evidence store's directory: the setting, or beside the SQLite file."""
        if self.evidence_dir:
            return BlobStore(Path(self.evidence_dir))
        return BlobStore(default_dir(self.database_url))

    def evidence(self) -> EvidencePolicy:
        """What each action carries (docs/domain.md "Evidence")."""
        return EvidencePolicy(self.evidence_policy)

    def policy(self) -> WorkflowPolicy:
        return WorkflowPolicy(
            counting_mode=self.counting_mode,
            conservative_minimum_posting=self.conservative_minimum_posting,
            amendment_requires_committee=self.amendment_requires_committee,
        )
