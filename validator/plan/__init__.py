"""The plan itself: the plan/1 model, plain data made a checked plan, a loaded plan with
where it came from, and the ontology its codes are drawn from."""
