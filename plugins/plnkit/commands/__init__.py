"""The `plnkit` sub-commands, one thin module each, over the library. May import anything."""
