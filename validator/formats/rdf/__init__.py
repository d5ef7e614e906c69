"""Plans as RDF in the ontology's terms: lifted to a graph (Turtle, JSON-LD out) and lowered
back (Turtle, JSON-LD in). Lowering reads exactly what lifting writes, so the round trip is
lossless."""
