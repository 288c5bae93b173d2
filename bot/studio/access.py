"""Who may use the studio: its own address only (as the sandbox, bot/sandbox/hosts.py), its own pages only for
actions, and with a password when it is reachable from other computers."""

from __future__ import annotations

import getpass
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from bot.sandbox.hosts import SAFE_METHODS, Hosts, same_origin

PASSWORD_ENV = "FAQBOT_STUDIO_PASSWORD"
HOST_REFUSED = ("Forbidden: the studio only answers at its own address (127.0.0.1, localhost, ::1 or the --listen "
                "address it was started with). Open the address it printed.")
ORIGIN_REFUSED = "Forbidden: only the studio's own pages may do this, not a page of another website."
SESSION_COOKIE = "faqbot_studio"
SESSION_DAYS = 1


@dataclass(frozen=True)
class Access:
    """The studio's host names and, when set, the staff password."""

    hosts: Hosts
    password: str | None = None

    @property
    def needs_login(self) -> bool:
        """True when a password is set: every page and action needs a session."""
        return bool(self.password)

    def password_ok(self, given: str) -> bool:
        """Whether ``given`` is the password (compared in constant time)."""
        return self.password is not None and hmac.compare_digest(given.encode("utf-8"), self.password.encode("utf-8"))

    def refusal(self, method: str, headers: Mapping[str, str]) -> str | None:
        """Why a request must be refused (403), or None: another Host, or an action from another origin."""
        host = headers.get("Host", "")
        if not self.hosts.allows(host):
            return HOST_REFUSED
        if method.upper() not in SAFE_METHODS:
            origin = headers.get("Origin")
            if origin is not None and not same_origin(origin, host):
                return ORIGIN_REFUSED
        return None


def local_user() -> str:
    """The name saves are recorded under when nobody logs in (the studio only on this computer)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"
