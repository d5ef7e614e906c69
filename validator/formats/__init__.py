"""The file formats plans are read from and written to: YAML and JSON (with positions),
RDF (Turtle, JSON-LD) and Excel workbooks. :mod:`validator.load` picks the reader."""
