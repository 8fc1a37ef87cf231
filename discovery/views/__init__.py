"""The needs-and-offers pages (see each module)."""
