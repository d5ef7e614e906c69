"""plancheck: a rules/knowledge-based validator for development plans."""

__version__ = "0.1.0"
