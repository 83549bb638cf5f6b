"""E-mail over SMTP: STARTTLS (or implicit TLS) and login as configured; text and HTML parts,
UTF-8 throughout (Thai subjects are RFC 2047 encoded by the standard library)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from models.alert import Channel
from notifications.channels.base import ChannelError, Outgoing


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 587
    starttls: bool = True
    implicit_tls: bool = False  # SMTPS (usually port 465) instead of STARTTLS
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = 30.0
    ca_file: str | None = None  # trust this CA bundle instead of the system's


def build_message(out: Outgoing, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = out.subject
    message["From"] = sender
    message["To"] = out.address
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=out.key.replace(":", "."), domain="localplan")
    message["X-Localplan-Delivery"] = out.key
    message.set_content(out.text, charset="utf-8")
    message.add_alternative(out.html, subtype="html", charset="utf-8")
    return message


class EmailSender:
    channel = Channel.EMAIL

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.ca_file)

    def send(self, out: Outgoing) -> None:
        cfg = self.settings
        if not out.address:
            raise ChannelError("no e-mail address")
        message = build_message(out, cfg.sender)
        try:
            smtp: smtplib.SMTP
            if cfg.implicit_tls:
                smtp = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=self._tls()
                )
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
            with smtp:
                if cfg.starttls and not cfg.implicit_tls:
                    smtp.starttls(context=self._tls())
                if cfg.username:
                    smtp.login(cfg.username, cfg.password or "")
                refused = smtp.send_message(message)
        except UnicodeError as err:  # smtplib sends user names and passwords as ASCII only
            raise ChannelError(f"smtp: the login must be ASCII: {err}") from err
        except (smtplib.SMTPException, OSError) as err:
            raise ChannelError(f"smtp: {type(err).__name__}: {err}") from err
        if refused:
            raise ChannelError(f"smtp refused recipients: {sorted(refused)}")
