"""Placeholder: the browser tour of the councils portal pages comes with them."""
