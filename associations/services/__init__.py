"""Every write with rules for memberships and dues, entrustments and the reads through
their scope, and talent-demand reports (see each module). Pages and the API import from
the modules here."""
