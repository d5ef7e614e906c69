"""The rule engine: variants of compiled rules made experta rules (:mod:`.network`), run
over partitions of a plan's facts (:mod:`.runner`); experta itself is imported in one place
(:mod:`.adapter`)."""
