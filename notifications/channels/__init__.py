"""Delivery channels behind one Protocol: in-app rows, e-mail over SMTP, signed webhooks."""

from notifications.channels.base import ChannelError, Outgoing, Sender

__all__ = ["ChannelError", "Outgoing", "Sender"]
