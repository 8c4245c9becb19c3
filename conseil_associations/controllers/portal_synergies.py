"""Placeholder: the synergies pages of the associations portal come in the next commit."""
