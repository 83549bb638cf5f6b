"""Tables and the database. Imports nothing of ours."""
