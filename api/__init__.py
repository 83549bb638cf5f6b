"""The composition root: every entry point (CLI, HTTP, scheduler)."""
