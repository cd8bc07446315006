"""Hand work to gunicorn's dirty workers: processes of their own beside the request workers.

gunicorn (25.1+) runs them when gunicorn.conf.py names `dirty_apps`, and tells the request
workers its Unix socket (GUNICORN_DIRTY_SOCKET; in a private directory, mode 0600). Where none
runs (`make run`, the tests, another server) or the socket refuses the connection (gunicorn is
restarting the arbiter), `execute` raises NotReached and the caller does the work itself.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from gunicorn.dirty import DirtyClient, DirtyConnectionError


class NotReached(Exception):
    """No dirty worker could be reached: do the work in this process."""


def socket_path() -> str | None:
    """Return the dirty arbiter's socket when gunicorn runs one for this process, else None."""
    return os.environ.get("GUNICORN_DIRTY_SOCKET") or None


def execute(app_path: str, action: str, *args: Any, timeout: float) -> Any:
    """Run a dirty app's action in a dirty worker and return its answer, waiting up to timeout
    seconds (without the GIL).

    Raises NotReached when none could be reached, and gunicorn's DirtyError when one was and
    failed or took too long."""
    path = socket_path()
    if path is None:
        raise NotReached
    client = _Client(path, timeout=timeout)
    try:
        client.connect()
    except DirtyConnectionError as error:
        raise NotReached from error
    try:
        return client.execute(app_path, action, *args)
    finally:
        client.close()


class _Client(DirtyClient):
    """gunicorn's sync client, closing its socket when the connection fails (27.0 leaves it
    to the garbage collector)."""

    _sock: socket.socket | None

    def connect(self) -> None:
        if self._sock is not None:
            return
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError as error:
            sock.close()
            raise DirtyConnectionError(
                f"Failed to connect to dirty arbiter: {error}", socket_path=self.socket_path
            ) from error
        self._sock = sock
