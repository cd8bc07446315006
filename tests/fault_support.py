"""Services that can be taken away in the middle of a test: a Redis of its own, and a TCP
relay in front of PostgreSQL whose connections can be cut and refused (a restart)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from gunicorn_support import free_port


@contextlib.contextmanager
def own_redis():
    """Run a throwaway redis-server on a free port; yield (url, stop, pause): stop() kills
    it (connections refused at once), pause() freezes it (every call waits for its timeout)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_REDIS") == "1" or os.environ.get("CI"):
            pytest.fail("REQUIRE_REDIS=1 or CI, but redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            break
        time.sleep(0.05)

    def stop():
        process.kill()
        process.wait(timeout=10)

    def pause():
        process.send_signal(signal.SIGSTOP)

    try:
        yield f"redis://127.0.0.1:{port}/0", stop, pause
    finally:
        if process.poll() is None:
            stop()


class Relay:
    """A TCP relay to a server; `cut()` drops every connection and refuses new ones (the
    server restarting), `restore()` lets connections through again."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.recorded = bytearray()  # everything clients sent to the server
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, server]
            for a, b, recorded in ((client, server, True), (server, client, False)):
                threading.Thread(target=self._pipe, args=(a, b, recorded), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, recorded: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if recorded:
                    with self.lock:
                        self.recorded += data
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
            self.sockets.clear()

    @property
    def sent(self) -> int:
        """Return how many bytes clients have sent to the server so far."""
        return len(self.recorded)

    def drop_connections(self) -> None:
        """Close every open connection, as a restarting server does, and let new ones in."""
        self.cut()
        self.restore()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()
