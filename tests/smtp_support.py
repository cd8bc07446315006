"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the mail tests."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+/welkom/[A-Za-z0-9_-]+")


class Inbox:
    """What the server received: parsed messages, in order."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def wait_for(self, count: int, seconds: float = 20) -> list:
        """Wait until at least `count` messages arrived; return them all."""
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} mails arrived"
        return self.messages

    @staticmethod
    def text(message) -> str:
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(("html",)).get_content()

    def link(self, message) -> str:
        found = LINK.search(self.text(message))
        assert found, self.text(message)
        return found.group(0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, dict]]:
    """Run an SMTP server on loopback; yield its inbox and the app settings that reach it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    try:
        yield (
            inbox,
            {
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": port,
                "MAIL_DEFAULT_SENDER": "Weerbaarheidsscan <noreply@example.nl>",
            },
        )
    finally:
        controller.stop()
