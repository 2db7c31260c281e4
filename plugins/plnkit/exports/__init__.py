"""Exports of a kit for other tools: OPML, a Mastodon follow list, JSON, CSV, iCalendar."""
