"""HTTP routes under /api/v1: parse, call one workflow function, return."""
