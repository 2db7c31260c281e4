"""The one proxy and CA rule, read from the environment once per run.

Proxies: `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http URLs (either spelling of case),
unless `NO_PROXY` names the host. CA bundle: the first of `SSL_CERT_FILE`,
`REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE` that is set, else the system's store (certifi's when the
system has none). Certificates are always verified; nothing here can turn that off.
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CA_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def ca_bundle() -> str | None:
    """The CA bundle the environment names, if any."""
    for name in CA_VARIABLES:
        if found := os.environ.get(name, "").strip():
            return found
    return None


def tls_context() -> ssl.SSLContext:
    """A verifying client context with the environment's CA bundle."""
    bundle = ca_bundle()
    context = ssl.create_default_context(cafile=bundle)
    if bundle is None and not context.cert_store_stats().get("x509_ca"):
        try:
            import certifi  # the system has no store: certifi's, when it is installed
        except ImportError:
            return context
        context.load_verify_locations(certifi.where())
    return context


@dataclass(frozen=True)
class Proxies:
    """The environment's proxies by scheme, and its NO_PROXY list."""

    by_scheme: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Proxies:
        found = urllib.request.getproxies_environment()
        return cls({k: v for k, v in found.items() if k in ("http", "https", "no")})

    def for_url(self, url: str) -> str | None:
        """The proxy to send `url` through, or None to connect directly.

        >>> p = Proxies({"http": "http://proxy:3128", "no": "skip.example"})
        >>> p.for_url("http://a.example/"), p.for_url("http://skip.example/"), p.for_url("https://a.example/")
        ('http://proxy:3128', None, None)
        """
        if not self.by_scheme.keys() & {"http", "https"}:
            return None  # no proxy set: nothing to parse (this runs for every request)
        parts = urlsplit(url)
        proxy = self.by_scheme.get(parts.scheme.lower())
        if not proxy:
            return None
        if self.by_scheme.get("no") and urllib.request.proxy_bypass_environment(
            parts.hostname or "", {"no": self.by_scheme["no"]}
        ):
            return None
        return proxy if "://" in proxy else f"http://{proxy}"

    @property
    def hosts(self) -> set[str]:
        """The proxies' own host names: the user chose them, so the guard does not check them."""
        return {
            urlsplit(v if "://" in v else f"http://{v}").hostname or ""
            for k, v in self.by_scheme.items()
            if k != "no"
        } - {""}
