"""A TCP proxy on the loopback that delays every chunk, standing in for a far-away database server.

``LatencyProxy(("127.0.0.1", 5432), delay=0.1)`` listens on a free loopback port and forwards
each connection to the target, holding every chunk for ``delay`` seconds in each direction, so a
query's round trip takes at least ``2 * delay`` more, as it would on a slow or distant network.
Chunks keep their order and are delayed, not throttled: a burst arrives ``delay`` later, not
spread out. Used by the tests and benchmarks that check the window stays responsive while a
project on such a server opens. It only ever connects to the target it was given (loopback).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator

from sqlalchemy.engine import make_url

CHUNK = 65536


class LatencyProxy:
    """Forward ``listen → target`` with ``delay`` seconds added each way; stop with :meth:`close`."""

    def __init__(self, target: tuple[str, int], delay: float) -> None:
        self.target = target
        self.delay = delay
        self.port = 0
        self.connections = 0  # accepted so far: proof that a client really went through
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=self._run, name="latency-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the latency proxy did not start")

    def url_for(self, database_url: str) -> str:
        """``database_url`` with its host and port replaced by this proxy's."""
        url = make_url(database_url).set(host="127.0.0.1", port=self.port)
        return url.render_as_string(hide_password=False)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._start())
            self._ready.set()
            self._loop.run_forever()
        finally:
            self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            server_in, server_out = await asyncio.open_connection(*self.target)
        except OSError:
            client_out.close()
            return
        for source, sink in ((client_in, server_out), (server_in, client_out)):
            task = asyncio.ensure_future(self._pump(source, sink))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        """Copy ``source`` to ``sink``, each chunk ``delay`` seconds after it arrived."""
        line: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await line.get()
                if not data:
                    break
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                sink.write(data)
                await sink.drain()

        delivering = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await source.read(CHUNK)
                line.put_nowait((time.monotonic() + self.delay, data))
                if not data:
                    break
            await delivering
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            delivering.cancel()
            with contextlib.suppress(BaseException):
                await delivering
            with contextlib.suppress(Exception):
                sink.close()
                await sink.wait_closed()

    def close(self) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self._server is not None:
                await self._server.wait_closed()

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@contextlib.contextmanager
def latency_proxy(database_url: str, delay: float) -> Iterator[tuple[LatencyProxy, str]]:
    """A proxy in front of the server of ``database_url``, and the URL that goes through it."""
    url = make_url(database_url)
    proxy = LatencyProxy((url.host or "127.0.0.1", url.port or 5432), delay)
    try:
        yield proxy, proxy.url_for(database_url)
    finally:
        proxy.close()
