"""Plans as facts: entity views navigable both ways, linked across the plans of a run
(parents, children, the same indicator in either)."""
