"""Placeholder: the browser tour of the loans portal pages comes with them."""
