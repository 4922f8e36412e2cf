"""Use cases over the core and the store: the live registry, relay, intake, CSAT, reveal."""
