"""From what the engine found to what a run reports: findings built from hits, then the
run's policy (selection, waivers, baseline), in one immutable result."""
