"""Placeholder: the needs pages of the associations portal come in the next commit."""
