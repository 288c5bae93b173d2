"""Which requests the sandbox answers: a Host it is known by, and for actions an Origin of its own page.

A page of another website cannot reach the sandbox by its address (the browser refuses), but it can by
*DNS rebinding*: its own name (``evil.example``) first points at the attacker's server, then at 127.0.0.1. The
browser then sends ``Host: evil.example`` and considers the sandbox the attacker's own origin. Refusing every
Host but the sandbox's own names stops that; checking Origin stops pages of other sites that do use an
allowed name.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
HOST_REFUSED = ("Forbidden: this sandbox only answers at its own address (127.0.0.1, localhost, ::1 or the "
                "--host it was started with). Open the address it printed.")
ORIGIN_REFUSED = "Forbidden: only the sandbox's own page may do this, not a page of another website."

_HOST = re.compile(r"^(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::(?P<port>[0-9]{1,5}))?$")


def parse_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header (or URL authority) as (host, port): names in lower case, IP addresses in standard
    form; ``None`` when it is not a plain host name or IP address with an optional port."""
    match = _HOST.match(value)
    if match is None:
        return None
    port = int(match["port"]) if match["port"] else None
    if port is not None and not 0 < port < 65536:
        return None
    if match["ip6"]:
        try:
            return str(ipaddress.IPv6Address(match["ip6"])), port
        except ValueError:
            return None
    return normal_host(match["name"]), port


@dataclass(frozen=True)
class Hosts:
    """The names the sandbox answers to. Listening on every address (``0.0.0.0``, ``::``), any IP address is
    accepted too (a phone on the same network opens the computer's address): DNS rebinding needs a name."""

    names: frozenset[str]
    any_address: bool = False

    @classmethod
    def listening_on(cls, host: str) -> Hosts:
        """The loopback names plus the address or name the sandbox listens on (``--host``)."""
        if host in WILDCARDS:
            return cls(frozenset(LOOPBACK), any_address=True)
        return cls(frozenset({*LOOPBACK, normal_host(host)}))

    def allows(self, host_header: str) -> bool:
        """Whether a request with this ``Host`` header is for the sandbox."""
        parsed = parse_host(host_header)
        if parsed is None:
            return False
        host = parsed[0]
        if host in self.names:
            return True
        if not self.any_address:
            return False
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return False
        return True

    def refusal(self, method: str, headers: Mapping[str, str], *, websocket: bool = False) -> str | None:
        """Why a request must be refused (403), or ``None``.

        Every request needs an allowed ``Host``. WebSockets and actions (POST...) that carry an ``Origin`` (all
        browsers send one) must come from the sandbox's own page: ``http://`` plus that same host and port.
        Without an ``Origin`` the client is not a browser, so no other website is involved.
        """
        host = headers.get("Host", "")
        if not self.allows(host):
            return HOST_REFUSED
        if websocket or method.upper() not in SAFE_METHODS:
            origin = headers.get("Origin")
            if origin is not None and not same_origin(origin, host):
                return ORIGIN_REFUSED
        return None


def normal_host(host: str) -> str:
    """A host name in lower case, an IP address in its standard form."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host.lower()


def same_origin(origin: str, host_header: str) -> bool:
    """Whether ``origin`` (``http://host:port``) is the origin of pages served under ``host_header``."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme != "http" or parts.path or parts.query or parts.fragment:
        return False
    mine, theirs = parse_host(host_header), parse_host(parts.netloc)
    if mine is None or theirs is None:
        return False
    return (mine[0], mine[1] or 80) == (theirs[0], theirs[1] or 80)
