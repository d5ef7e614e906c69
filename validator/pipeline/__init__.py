"""The pipeline, one straight line: inputs are loaded (:mod:`validator.load`), linked into
facts (:mod:`validator.facts`), run through the compiled rules (:mod:`validator.engine`),
made findings (:mod:`validator.findings`) and narrowed by the run's policy.

:func:`.check.check` is that line for plans already loaded (rule cases, explanations, batch
workers, the benches); :func:`.validate.validate` is the whole run of ``plancheck validate``
(and of anything that validates files), in one or many processes (:mod:`.batch`).
"""
