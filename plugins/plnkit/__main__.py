"""`python -m plnkit` runs the CLI."""

from plnkit.cli import entry

entry()
