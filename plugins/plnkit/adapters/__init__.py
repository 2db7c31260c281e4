"""The only code that imports an engine: each adapter hands the site build to one engine.

May import anything in the package except `commands/`.
"""
