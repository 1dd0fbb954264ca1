"""A TCP proxy on loopback that a test can take down and bring back: a database that goes away.

    async with TcpProxy("127.0.0.1", 5432) as proxy:
        url = f"postgresql://postgres@127.0.0.1:{proxy.port}/test"
        await proxy.down()   # every open connection is cut, new ones are refused
        await proxy.up()         # connections are accepted again, on the same port
        proxy.silence()          # packets dropped: nothing passes, nothing is refused or reset

Down, the port is closed (a client's connect is refused, as when the server has stopped) and
every connection through the proxy is reset, as when the server's host went away. Silent, the
connections stay open and new ones are accepted, but no byte passes either way and no answer
comes: a firewall dropping packets, or a host gone without a word. `up` after a silence resets
what was held, as the client's own TCP would give up on it in the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Self


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.connections = 0  # accepted since start, for a test to see that clients came back
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()  # cleared while silent
        self._flowing.set()

    async def __aenter__(self) -> Self:
        await self._listen()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.down()

    @property
    def is_up(self) -> bool:
        return self._server is not None

    async def down(self) -> None:
        """Refuse new connections and reset the open ones."""
        server = self._server
        self.cut()
        if self._pipes:
            await asyncio.gather(*self._pipes, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    def cut(self) -> None:
        """`down` at once, from a callback that cannot wait: the port is closed before it returns."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            sock = writer.get_extra_info("socket")
            if sock is not None:  # a reset, not a polite close: the client's next read or write fails
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.close()
        self._writers.clear()
        for pipe in list(self._pipes):
            pipe.cancel()

    @property
    def is_silent(self) -> bool:
        return not self._flowing.is_set()

    def silence(self) -> None:
        """Drop every packet from now on: connections stay open, new ones are accepted, nothing passes."""
        self._flowing.clear()

    async def up(self) -> None:
        """Accept connections again, on the same port (after a silence: the held connections reset)."""
        if self.is_silent:
            self.cut()
            self._flowing.set()
        if self._server is None:
            await self._listen()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self._server is None:
            client_writer.close()
            return
        self.connections += 1
        if self.is_silent:  # accepted, never answered: held until `up` resets it
            self._writers.add(client_writer)
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        self._writers |= {client_writer, server_writer}
        for reader, writer in ((client_reader, server_writer), (server_reader, client_writer)):
            pipe = asyncio.create_task(self._pipe(reader, writer))
            self._pipes.add(pipe)
            pipe.add_done_callback(self._pipes.discard)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self._flowing.wait()  # silent: held, never passed on
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
