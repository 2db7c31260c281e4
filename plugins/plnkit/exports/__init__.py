"""Exports of a kit for other tools: OPML, Atom, a Mastodon follow list, JSON, CSV, iCalendar,
and OPML import. May import `kit/`, `render/` (escaping, state) and the view types of
`links/` and `feeds/`."""
