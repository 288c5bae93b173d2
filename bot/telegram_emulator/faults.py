"""Injected faults: make the next calls of a method fail (429, 5xx...) or answer slowly."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BotApiError, http_error

ANY_METHOD = "*"


@dataclass
class Fault:
    """A pending fault; ``status=None`` means "answer normally, but only after ``delay`` seconds"."""

    method: str
    status: int | None
    retry_after: int
    remaining: int
    delay: float
    description: str | None = None

    def error(self) -> BotApiError | None:
        """The error this fault answers with (``None`` for a delay-only fault)."""
        if self.status is None:
            return None
        return http_error(self.status, self.description, retry_after=self.retry_after)


class FaultInjector:
    """Faults by method name (case-insensitive, or ``"*"``); method-specific faults win over ``"*"``."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, method: str, *, status: int | None, retry_after: int, times: int, delay: float,
            description: str | None = None) -> Fault:
        """Queue a fault for the next ``times`` calls of ``method``."""
        if times < 1:
            raise ValueError("times must be at least 1")
        if delay < 0:
            raise ValueError("delay must not be negative")
        if status is not None and not 400 <= status <= 599:
            raise ValueError("status must be an HTTP error status (400-599) or None")
        if status is None and delay == 0:
            raise ValueError("a fault without status needs a delay")
        fault = Fault(method.lower() if method != ANY_METHOD else ANY_METHOD, status, retry_after, times, delay,
                      description)
        self._faults.append(fault)
        return fault

    def take(self, method: str) -> Fault | None:
        """Consume one use of the fault that applies to a call of ``method``, if any."""
        name = method.lower()
        fault = next((f for f in self._faults if f.method == name), None)
        if fault is None:
            fault = next((f for f in self._faults if f.method == ANY_METHOD), None)
        if fault is None:
            return None
        fault.remaining -= 1
        if fault.remaining <= 0:
            self._faults.remove(fault)
        return fault

    @property
    def pending(self) -> list[Fault]:
        """Faults not yet used up."""
        return list(self._faults)

    def clear(self) -> None:
        """Remove every fault."""
        self._faults.clear()
