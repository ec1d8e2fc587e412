"""Background tasks of a service: one way to stop them."""

from __future__ import annotations

import asyncio
import contextlib


async def stop_task(task: asyncio.Task[None] | None, *, timeout_s: float = 5) -> None:
    """Let `task` finish its round (it was told to stop), or cancel it after `timeout_s`."""
    if task is None:
        return
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=timeout_s)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
