"""Reading the demo's mail sink: the messages Django's file backend wrote under
$DAILYPAPERS_HOME/mail/ (DAILYPAPERS_EMAIL_BACKEND=file), as email.message objects."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

# Django's file backend writes each message followed by a line of 79 dashes.
_RULE = b"\n" + b"-" * 79 + b"\n"
URL = re.compile(r"https?://[^\s<>\"')]+")


def read_mail_sink(folder: Path) -> list[EmailMessage]:
    """Every message in the folder, oldest file first (one file per connection)."""
    messages = []
    for path in sorted(folder.glob("*.log"), key=lambda p: (p.stat().st_mtime, p.name)):
        for chunk in path.read_bytes().split(_RULE):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.lstrip(b"\n"), policy=policy.default))
    return messages


def body_text(message: EmailMessage, kind: str = "plain") -> str:
    part = message.get_body(preferencelist=(kind,))
    return part.get_content() if part is not None else ""


def links(message: EmailMessage) -> set[str]:
    """Every URL in the plain and HTML parts and in List-Unsubscribe, HTML entities undone."""
    text = body_text(message, "plain") + "\n" + body_text(message, "html").replace("&amp;", "&")
    found = set(URL.findall(text))
    found |= set(re.findall(r"<(https?://[^>]+)>", str(message.get("List-Unsubscribe", ""))))
    return {url.rstrip(".,;") for url in found}
