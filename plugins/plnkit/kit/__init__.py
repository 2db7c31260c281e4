"""Load and validate a kit: files in, a typed immutable `Kit` or a list of problems out.

Pure apart from reading kit files. May import only the standard library, YAML and JSON
Schema, and its own modules: nothing of links, feeds, the store, rendering or engines.
"""
