"""Placeholder: the councils pages of the associations portal come in the next commit."""
