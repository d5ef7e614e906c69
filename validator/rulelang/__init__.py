"""The rule language: grammar -> AST -> resolved rules -> experta (see docs/rule-language.md)."""
