"""Delivers outbox messages. Imports models only; knows no state machine."""
