"""API tokens (issue 20)."""
