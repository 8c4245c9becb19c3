"""Placeholder: the browser tour of the needs portal pages comes with them."""
