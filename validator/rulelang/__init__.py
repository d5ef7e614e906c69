"""The rule language: grammar -> AST -> resolved rules -> experta (see docs/rule-language.md)."""

from validator.rulelang import builtins_monitoring  # noqa: F401  (registers its built-ins)
