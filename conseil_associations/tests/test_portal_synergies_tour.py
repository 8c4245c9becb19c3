"""Placeholder: the browser tour of the synergies portal pages comes with them."""
