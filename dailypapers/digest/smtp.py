"""An SMTP session that splits a message's DATA in two: everything but the final "." first,
then the "." on its own. The outbox records 'sending' between the two halves (sending.py
explains why). The connection itself comes from Django's SMTP email backend, so host, port,
TLS and login are Django's EMAIL_* settings.
"""

from __future__ import annotations

import datetime as dt
import re
import smtplib
import socket
from email.utils import parseaddr

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend

# Backoff after a transient SMTP failure, for digests and transactional mails alike:
# base * 2**(attempts-1), so 1, 2, 4, 8 minutes over the 5 default attempts, about a quarter
# of an hour for a provider's brief outage to pass.
RETRY_BASE_SECONDS = 60.0

_EOL = re.compile(rb"\r\n|\n|\r")
_LEADING_DOT = re.compile(rb"(?m)^\.")


class TransientError(Exception):
    """Try again later: a 4xx reply, or (`connection_lost`) a refused or dropped connection."""

    def __init__(self, message: str, *, connection_lost: bool = False):
        super().__init__(message)
        self.connection_lost = connection_lost


class PermanentError(Exception):
    """Do not try again: a 5xx reply. `recipient` is True when the server refused the address."""

    def __init__(self, message: str, *, recipient: bool = False):
        super().__init__(message)
        self.recipient = recipient


class AmbiguousError(Exception):
    """The final "." went out but no answer came back: the server may have accepted it."""


def _raise_for(code: int, reply: bytes, stage: str, *, recipient: bool = False) -> None:
    text = f"{stage}: {code} {reply.decode('utf-8', 'replace')[:300]}"
    if 400 <= code < 500 or code < 0:
        raise TransientError(text)
    raise PermanentError(text, recipient=recipient)


def envelope_sender() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def wire_bytes(message_bytes: bytes) -> bytes:
    """RFC 5321 DATA body: CRLF line ends, leading dots doubled, ending in CRLF (no final dot)."""
    data = _LEADING_DOT.sub(b"..", _EOL.sub(b"\r\n", message_bytes))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class SplitDataSession:
    def __init__(self):
        self._backend: EmailBackend | None = None

    @property
    def _smtp(self) -> smtplib.SMTP:
        if self._backend is None or self._backend.connection is None:
            # A timeout, so a silent server turns into a retry instead of a hung worker.
            backend = EmailBackend(fail_silently=False, timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 60)
            try:
                backend.open()
            except (OSError, smtplib.SMTPException) as exc:
                raise TransientError(
                    f"connect to {settings.EMAIL_HOST}:{settings.EMAIL_PORT}: {exc}", connection_lost=True
                ) from exc
            # No Nagle: the lone "." after the body would otherwise wait for the server's
            # delayed ACK (40 ms on Linux), capping a sender at ~20 messages/s.
            backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._backend = backend
        return self._backend.connection

    def begin(self, *, sender: str, recipient: str, message_bytes: bytes) -> None:
        """MAIL, RCPT, DATA and the body, without the final "." (the server keeps nothing yet)."""
        try:
            smtp = self._smtp
            smtp.ehlo_or_helo_if_needed()
            code, reply = smtp.mail(sender)
            if code != 250:
                self.reset()
                _raise_for(code, reply, "MAIL FROM")
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                self.reset()
                _raise_for(code, reply, "RCPT TO", recipient=True)
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                self.reset()
                _raise_for(code, reply, "DATA")
            smtp.send(wire_bytes(message_bytes))
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self.close()
            raise TransientError(
                f"connection lost before the message was complete: {exc}", connection_lost=True
            ) from exc

    def finish(self) -> None:
        """Send the final "." and read the verdict; raises unless the server accepted."""
        try:
            self._smtp.send(b".\r\n")
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self.close()
            raise TransientError(f"connection lost before the final dot: {exc}", connection_lost=True) from exc
        try:
            code, reply = self._smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self.close()
            raise AmbiguousError(f"no answer after the final dot: {exc}") from exc
        if code != 250:
            _raise_for(code, reply, "end of DATA")

    def reset(self) -> None:
        try:
            self._smtp.rset()
        except (OSError, smtplib.SMTPException, TransientError):
            self.close()

    def close(self) -> None:
        """Drop the socket without QUIT: mid-DATA a QUIT would be read as message text."""
        if self._backend is not None and self._backend.connection is not None:
            self._backend.connection.close()
        self._backend = None

    def quit(self) -> None:
        """End an idle session politely."""
        if self._backend is not None:
            try:
                self._backend.close()
            except Exception:  # the server hung up first; nothing left to clean up
                pass
        self._backend = None


def retry_backoff(attempts: int) -> dt.timedelta:
    """How long a message waits after its `attempts`-th transient failure."""
    return dt.timedelta(seconds=RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0)))
