"""Turn a `Kit` and a `SiteState` into Markdown pages and HTML fragments, with no I/O.

May import `kit/` and the view types of `links/` and `feeds/`.
"""
