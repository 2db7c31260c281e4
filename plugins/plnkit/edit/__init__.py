"""Every write into a kit or config file: a new resource, an issue-form submission, a fork's
setup, and in-place YAML edits. May import `kit/`; never the network or an engine."""
