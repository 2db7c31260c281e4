"""The network: the one HTTP client, politeness per host, the clock and the offline rule.

May import `kit/` (address rules) and `store`.
"""
