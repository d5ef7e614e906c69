"""The review desk (``plancheck serve``): a local web app where a DPI reviewer receives
plan submissions, reads their findings, accepts exceptions, returns remarks and follows the
versions of each plan through a planning cycle (docs/review-desk.md).

It sits above the pipeline and the reporters and only calls them: uploads are checked by
:func:`validator.pipeline.validate.validate` in worker processes (:mod:`.jobs`,
:mod:`.worker`), and what a check produced is stored (:mod:`.store`) and shown by the JSON
API (:mod:`.api`) and the pages (:mod:`.pages`) that use it.
"""
