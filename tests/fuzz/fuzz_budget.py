"""How many cases each fuzzer runs: a short run by default, 10,000 per input kind with
``pytest tests/fuzz --fuzz-long`` (or ``PLANCHECK_FUZZ=long``).

``PLANCHECK_FUZZ_PROGRESS=FILE`` makes the fuzzers that call :func:`count_case` add a byte
to FILE per case, so a long run stopped by its time limit still says how far it got
(hypothesis prints its statistics only at the end).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG_EXAMPLES = 10_000
LONG = os.environ.get("PLANCHECK_FUZZ", "") == "long"
_PROGRESS = os.environ.get("PLANCHECK_FUZZ_PROGRESS")


def fuzz_settings(short: int) -> settings:
    """Hypothesis settings for one fuzzer: ``short`` cases, or 10,000 in a long run."""
    return settings(max_examples=LONG_EXAMPLES if LONG else short, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture],
                    print_blob=True)


def count_case() -> None:
    """Count one case in the progress file, if one is set."""
    if _PROGRESS:
        with open(_PROGRESS, "ab") as log:
            log.write(b".")
