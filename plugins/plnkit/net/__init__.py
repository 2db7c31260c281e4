"""What every network-facing part shares: the HTTP session, politeness limits, the clock."""
