"""Load and validate a kit: files in, a typed immutable `Kit` or a list of problems out.

Pure apart from reading kit files (and the kit cache in the state store). May import only the
standard library, YAML and JSON Schema, its own modules and the store (the kit cache lives
there, and the quick schema check, `store.fast_check`): nothing of links, feeds, rendering or
engines.
"""
