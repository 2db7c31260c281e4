"""Link health: collector (URLs from the kit) → checker (HTTP through `net/`) → history (health
over stored runs) → report (console, JSON, Markdown), plus archive lookups and the site's view.

May import `kit/`, `store` and `net/`.
"""
