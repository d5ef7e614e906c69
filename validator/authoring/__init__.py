"""For rule authors: rule cases and their coverage, lint, explanations of why a rule fired,
the rule reference, and stubs for new rules."""
