"""Placeholder: the loans pages of the associations portal come in the next commit."""
