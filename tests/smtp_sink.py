"""A real SMTP server (aiosmtpd) on 127.0.0.1 with a free port, recording what it receives.

Used by the test suite (session fixture ``smtp_sink``) and by the benchmarks.
Addresses at ``@bounce.invalid`` are refused at RCPT time with a 550, like a
mailbox that does not exist.
"""

import asyncio
import logging
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

REFUSED_DOMAIN = "@bounce.invalid"
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)
# aiosmtpd logs every SMTP command at INFO: far too much for 10,000 messages.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class Received:
    recipients: list[str]
    headers: Message
    body: bytes


@dataclass
class SinkHandler:
    keep_messages: bool = True
    # Seconds each message takes to be accepted: a slow relay, so a test can act mid-batch.
    delay: float = 0.0
    messages: list[Received] = field(default_factory=list)
    message_ids: Counter[str] = field(default_factory=Counter)
    recipients: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _parser: BytesHeaderParser = field(
        default_factory=lambda: BytesHeaderParser(policy=policy.default)
    )

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.lower().endswith(REFUSED_DOMAIN):
            with self.lock:
                self.refused[address] += 1
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        raw = envelope.original_content or b""
        # A regular expression, not the e-mail parser: the benchmark's sink must
        # not be slower than what it measures.
        found = MESSAGE_ID.search(raw)
        message_id = found.group(1).decode(errors="replace") if found else ""
        headers = self._parser.parsebytes(raw) if self.keep_messages else None
        with self.lock:
            self.message_ids[message_id] += 1
            for rcpt in envelope.rcpt_tos:
                self.recipients[rcpt] += 1
            if headers is not None:
                self.messages.append(Received(list(envelope.rcpt_tos), headers, raw))
        return "250 Message accepted"


class SmtpSink:
    """Runs the SMTP server in a thread with its own event loop."""

    def __init__(self, *, keep_messages: bool = True, delay: float = 0.0) -> None:
        self.handler = SinkHandler(keep_messages=keep_messages, delay=delay)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))  # a free port, read back below
        self.host, self.port = self._sock.getsockname()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="smtp-sink", daemon=True)
        self._ready = threading.Event()
        self._server: asyncio.AbstractServer | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        def factory() -> SMTP:
            return SMTP(self.handler, hostname="sink.localhost", enable_SMTPUTF8=True)

        self._server = self._loop.run_until_complete(
            self._loop.create_server(factory, sock=self._sock)
        )
        self._ready.set()
        self._loop.run_forever()
        self._server.close()
        self._loop.run_until_complete(self._server.wait_closed())
        self._loop.close()

    def start(self) -> "SmtpSink":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- what arrived ---------------------------------------------------------

    def count(self) -> int:
        with self.handler.lock:
            return sum(self.handler.message_ids.values())

    def duplicates(self) -> int:
        """Messages beyond the first per Message-ID or per recipient."""
        with self.handler.lock:
            by_id = sum(n - 1 for n in self.handler.message_ids.values() if n > 1)
            by_rcpt = sum(n - 1 for n in self.handler.recipients.values() if n > 1)
        return max(by_id, by_rcpt)

    def messages_to(self, address: str) -> list[Received]:
        with self.handler.lock:
            return [m for m in self.handler.messages if address in m.recipients]

    def reset(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.message_ids.clear()
            self.handler.recipients.clear()
            self.handler.refused.clear()

    def wait_for(self, count: int, timeout: float = 60) -> int:
        """Waits until ``count`` messages arrived (or the time is up); returns the count."""
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.count()
