"""`python -m plnkit` runs the CLI."""

from plnkit.cli import main

raise SystemExit(main())
