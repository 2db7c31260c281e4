"""May another site frame this page? `X-Frame-Options` and CSP `frame-ancestors` decide."""

from __future__ import annotations

from collections.abc import Mapping


def _frame_ancestors(policy: str) -> list[str] | None:
    """The sources of a policy's `frame-ancestors` directive, or None when it has none."""
    for directive in policy.split(";"):
        words = directive.strip().split()
        if words and words[0].lower() == "frame-ancestors":
            return [w.lower() for w in words[1:]]
    return None


def embeddable(headers: Mapping[str, str]) -> bool:
    """True when a page on another origin (the binder) may show this one in a frame.

    >>> embeddable({}), embeddable({"X-Frame-Options": "SAMEORIGIN"})
    (True, False)
    >>> embeddable({"Content-Security-Policy": "default-src 'self'; frame-ancestors *"})
    True
    >>> embeddable({"Content-Security-Policy": "frame-ancestors 'self' https://x.org"})
    False
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    # Several CSP headers arrive joined by commas; each policy must allow framing.
    csp = lowered.get("content-security-policy", "")
    ancestors_given = False
    for policy in csp.split(","):
        sources = _frame_ancestors(policy)
        if sources is None:
            continue
        ancestors_given = True
        if not any(s in ("*", "https:", "https://*") for s in sources):
            return False
    if ancestors_given:
        return True  # CSP frame-ancestors overrides X-Frame-Options in modern browsers
    xfo = lowered.get("x-frame-options", "").strip().lower()
    return not any(word in xfo for word in ("deny", "sameorigin", "allow-from"))
