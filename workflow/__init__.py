"""The regulation as code. Imports models only."""
