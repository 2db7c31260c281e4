"""The `plnkit` sub-commands, one per module."""
