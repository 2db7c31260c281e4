"""The engine-neutral site build: kit and stored state in, pages, assets, nav and exports out.

May import `kit/`, `store`, `net/` (offline and clock only), `links/`, `feeds/`, `render/`
and `exports/`; never an engine (that is `adapters/`).
"""
