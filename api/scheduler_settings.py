"""What the scheduler's jobs are configured with, read from the settings: the sweep, the
delivery policy and the SMTP and webhook channels (api/scheduler.py runs them)."""

from __future__ import annotations

from api.settings import Settings
from notifications.channels.email import SmtpSettings
from notifications.channels.line import INSTALLATION, LineSettings
from notifications.channels.webhook import WebhookSettings
from notifications.outbox import DeliveryPolicy
from workflow.alert_policy import AlertPolicy
from workflow.sweeper import SweepSettings


def sweep_settings(settings: Settings) -> SweepSettings:
    return SweepSettings(
        policy=AlertPolicy(
            reminder_days=tuple(settings.alert_reminder_days),
            last_working_day_warning=settings.alert_last_working_day_warning,
            overdue_repeat_days=settings.alert_overdue_repeat_days,
            escalate=settings.alert_escalate,
            escalate_from=settings.alert_escalate_from_week,
            catch_up=settings.alert_catch_up,
        ),
        auto_complete_posting=settings.auto_complete_posting,
        alert_time=settings.alert_time,
        open_yearly_floors=settings.monitoring_yearly_floor,
        half_report_reminder_day=settings.monitoring_half_reminder_day,
    )


def delivery_policy(settings: Settings) -> DeliveryPolicy:
    return DeliveryPolicy(
        max_attempts=settings.delivery_max_attempts,
        backoff_seconds=settings.delivery_backoff_seconds,
        backoff_max_seconds=settings.delivery_backoff_max_seconds,
        lease_seconds=settings.delivery_lease_seconds,
        batch_size=settings.delivery_batch_size,
        webhook_url=settings.webhook_url if settings.webhook_secret else None,
        link_base=settings.public_url,
    )


def smtp_settings(settings: Settings) -> SmtpSettings | None:
    if not settings.smtp_host:
        return None
    return SmtpSettings(
        host=settings.smtp_host,
        sender=settings.smtp_from,
        port=settings.smtp_port,
        starttls=settings.smtp_starttls,
        implicit_tls=settings.smtp_implicit_tls,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        timeout_seconds=settings.smtp_timeout_seconds,
        ca_file=settings.smtp_ca_file,
    )


def webhook_settings(settings: Settings) -> WebhookSettings | None:
    if not settings.webhook_url or settings.webhook_secret is None:
        return None  # never send unsigned webhooks
    return WebhookSettings(
        url=settings.webhook_url,
        secret=settings.webhook_secret.get_secret_value(),
        timeout_seconds=settings.webhook_timeout_seconds,
    )


def line_settings(settings: Settings) -> LineSettings | None:
    """The LINE channel when any channel access token is set (installation's and per code)."""
    tokens = {code: t.get_secret_value() for code, t in settings.line_channel_tokens.items()}
    if settings.line_channel_token is not None:
        tokens[INSTALLATION] = settings.line_channel_token.get_secret_value()
    if not tokens:
        return None
    return LineSettings(
        tokens=tokens, host=settings.line_api_host, timeout_seconds=settings.line_timeout_seconds
    )


def line_secrets(settings: Settings) -> dict[str, str]:
    """Channel secrets for the webhook's signature check, by organization code."""
    secrets = {code: s.get_secret_value() for code, s in settings.line_channel_secrets.items()}
    if settings.line_channel_secret is not None:
        secrets[INSTALLATION] = settings.line_channel_secret.get_secret_value()
    return secrets
