"""A real SMTP server on loopback (aiosmtpd) that counts what it receives, per recipient.

`fail_first` answers 451 to the end of DATA for that many messages (a server that fails the
first attempts); `reject` answers 550 at RCPT for those addresses. A message counts only when
the server accepted its final "." — exactly what a real mail server would deliver.
"""

from __future__ import annotations

import asyncio
import collections
import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingHandler:
    def __init__(self, *, fail_first: int = 0, reject: set[str] | None = None, delay: float = 0.0):
        self.fail_first = fail_first
        self.delay = delay  # seconds before answering the final "." (to make two senders overlap)
        self.reject = {address.lower() for address in (reject or set())}
        self.messages: list[email.message.EmailMessage] = []
        self.per_recipient: collections.Counter = collections.Counter()
        self.attempts = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # The message is accepted (counted) as soon as its final "." arrives, like a real MTA
        # that has queued it; `delay` only slows the answer. (aiosmtpd cancels a handler
        # whose client hangs up, so counting after the delay would model a server that
        # drops a message it already has.)
        try:
            return self._accept(envelope)
        finally:
            if self.delay:
                await asyncio.sleep(self.delay)

    def _accept(self, envelope) -> str:
        with self.lock:
            self.attempts += 1
            if self.fail_first > 0:
                self.fail_first -= 1
                return "451 4.3.0 try again later"
            message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            self.messages.append(message)
            for address in envelope.rcpt_tos:
                self.per_recipient[address.lower()] += 1
        return "250 OK queued"

    def to(self, address: str) -> list:
        return [message for message in self.messages if address.lower() in str(message["To"]).lower()]


class SMTPServer:
    def __init__(self, *, port: int | None = None, **handler_options):
        self.handler = CountingHandler(**handler_options)
        self.port = port or free_port()  # a given port: the server "comes back" where it was
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
