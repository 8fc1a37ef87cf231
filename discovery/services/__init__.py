"""Every write with rules for needs, offers and interests (see each module)."""
