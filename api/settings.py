"""Settings from LOCALPLAN_* environment variables, built once and handed down."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.enums import CountingMode
from workflow.policy import WorkflowPolicy


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOCALPLAN_", extra="ignore")

    database_url: str = "sqlite:///localplan.db"
    db_pool_size: int = 5
    counting_mode: CountingMode = CountingMode.STRICT
    conservative_minimum_posting: bool = False
    amendment_requires_committee: bool = False
    # HTTP API (issue 3): login tokens' lifetime and the failed-login limits.
    login_token_minutes: int = Field(default=480, ge=1, le=60 * 24 * 30)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_max_failures_per_username: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)

    def policy(self) -> WorkflowPolicy:
        return WorkflowPolicy(
            counting_mode=self.counting_mode,
            conservative_minimum_posting=self.conservative_minimum_posting,
            amendment_requires_committee=self.amendment_requires_committee,
        )
