"""The address guard: which IP addresses PLN Kit may connect to, checked after DNS.

The check looks at the address a connection is actually made to, never at the URL as written:
`GuardedResolver` wraps the resolver aiohttp's connector asks (so every hop of every request
passes through it), and `literal_problem` covers URLs that name an address directly (the
connector does not resolve those). Loopback, private, link-local, unique-local, multicast,
unspecified and other non-global addresses are refused unless the run allows local hosts
(tests, benchmarks); the cloud metadata addresses are refused even then.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from functools import lru_cache

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
ResolverFactory = Callable[[], AbstractResolver]


class AddressRefused(OSError):
    """A connection the guard would not make; the message says why, for the report."""


def _kind(address: Address) -> str | None:
    """What makes `address` non-public, in words; None for a public address."""
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    if address.is_link_local:
        return "link-local"
    if address.version == 6 and address in ipaddress.ip_network("fc00::/7"):
        return "unique-local"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "reserved"
    return None


@lru_cache(maxsize=4096)  # a run asks about the same few hosts once per request
def address_problem(text: str, *, allow_local: bool = False) -> str | None:
    """Why PLN Kit will not connect to the IP address `text`; None when it may.

    >>> address_problem("93.184.215.14") is None, address_problem("127.0.0.1")
    (True, '127.0.0.1 is a local or private address (loopback)')
    >>> address_problem("::ffff:10.0.0.1")
    '::ffff:10.0.0.1 is a local or private address (private)'
    >>> address_problem("10.0.0.1", allow_local=True) is None
    True
    >>> address_problem("169.254.169.254", allow_local=True)
    '169.254.169.254 is a cloud metadata address'
    """
    try:
        address: Address = ipaddress.ip_address(text.split("%", 1)[0].strip("[]"))
    except ValueError:
        return f"{text} is not an IP address"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA:
        return f"{text} is a cloud metadata address"
    if allow_local:
        return None
    kind = _kind(address)
    return f"{text} is a local or private address ({kind})" if kind else None


@lru_cache(maxsize=4096)
def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def literal_problem(host: str, *, allow_local: bool) -> str | None:
    """For a URL that names an address rather than a host name (the connector connects to it
    without asking the resolver); None for a name or an allowed address."""
    if not is_ip_literal(host):
        return None
    return address_problem(host, allow_local=allow_local)


class GuardedResolver(AbstractResolver):
    """Resolves through `base`, then drops every address the guard refuses.

    A name with no allowed address left raises `AddressRefused`, which aiohttp hands back as
    the cause of its connection error. Answers (and failures) are kept for the run, so the
    politeness gate and the connector, which both ask, cost one lookup. Names in `trusted`
    (the proxies the environment names) are the user's own choice and are not checked.
    """

    def __init__(
        self,
        base: AbstractResolver | None = None,
        *,
        allow_local: bool = False,
        trusted: Iterable[str] = (),
    ) -> None:
        self.base = base or DefaultResolver()
        self.allow_local = allow_local
        self.trusted = frozenset(h.lower() for h in trusted)
        self._answers: dict[tuple[str, int, int], list[ResolveResult] | OSError] = {}

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        key = (host, port, int(family))
        found = self._answers.get(key)
        if found is None:
            try:
                found = self._allowed(host, await self.base.resolve(host, port, family))
            except OSError as err:
                found = err
            self._answers[key] = found
        if isinstance(found, OSError):
            raise found
        return found

    def _allowed(self, host: str, answers: list[ResolveResult]) -> list[ResolveResult]:
        if host.lower() in self.trusted:
            return answers
        kept, refused = [], []
        for answer in answers:
            problem = address_problem(answer["host"], allow_local=self.allow_local)
            (refused if problem else kept).append(problem or answer)
        if not kept and refused:
            raise AddressRefused(f"refused: {host} resolves to {refused[0]}")
        return kept

    async def close(self) -> None:
        await self.base.close()
