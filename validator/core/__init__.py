"""What every stage shares and nothing else: located errors and "did you mean", findings
and severities, safe file reads, source maps and key paths, the wording of input files'
pydantic errors, text folding, the two languages, the bundled data's place."""
