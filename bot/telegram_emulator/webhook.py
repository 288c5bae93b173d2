"""Webhook delivery: POST pending updates as JSON to the bot's webhook URL, in order, with retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from typing import Any

import httpx

from .models import WebhookConfig
from .updates import UpdateQueue

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDeliverer:
    """Delivers one update at a time; an update is confirmed only after a 2xx answer."""

    def __init__(self, queue: UpdateQueue, *, retry_delay: float = 0.2, timeout: float = 10.0,
                 max_records: int | None = None) -> None:
        self._queue = queue
        self._retry_delay = retry_delay
        self._timeout = timeout
        self._task: asyncio.Task[None] | None = None
        self.config: WebhookConfig | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.delivered: deque[dict[str, Any]] = deque(maxlen=max_records)

    async def configure(self, config: WebhookConfig | None) -> None:
        """Switch to ``config`` (``None`` stops delivery); restarts the delivery task."""
        await self.close()
        self.config = config
        self.last_error_date = None
        self.last_error_message = None
        if config is not None:
            self._task = asyncio.get_running_loop().create_task(self._run(config), name="telegram-emulator-webhook")

    async def close(self) -> None:
        """Stop delivering (the configuration is kept)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def info(self) -> dict[str, Any]:
        """The ``getWebhookInfo`` result."""
        allowed = self.config.allowed_updates if self.config else None
        info: dict[str, Any] = {
            "url": self.config.url if self.config else "",
            "has_custom_certificate": False,
            "pending_update_count": self._queue.count(allowed),
        }
        if self.config is not None:
            info["max_connections"] = self.config.max_connections
            if self.config.allowed_updates is not None:
                info["allowed_updates"] = list(self.config.allowed_updates)
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _run(self, config: WebhookConfig) -> None:
        headers = {"Content-Type": "application/json"}
        if config.secret_token:
            headers[SECRET_HEADER] = config.secret_token
        async with httpx.AsyncClient(timeout=self._timeout, trust_env=False) as client:
            while True:
                update = await self._queue.next_update(config.allowed_updates)
                try:
                    response = await client.post(config.url, json=update, headers=headers)
                except httpx.HTTPError as exc:
                    self._failed(f"Connection failed: {exc!r}")
                else:
                    if 200 <= response.status_code < 300:
                        self.delivered.append(update)
                        self._queue.confirm(update["update_id"] + 1)
                        continue
                    self._failed(f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}")
                await asyncio.sleep(self._retry_delay)

    def _failed(self, message: str) -> None:
        log.debug("telegram emulator webhook delivery failed: %s", message)
        self.last_error_date = int(time.time())
        self.last_error_message = message
