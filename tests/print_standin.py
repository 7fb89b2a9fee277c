"""A local stand-in for Pingen's REST API (v2), the print partner of bulk notices.

It speaks the part the adapter uses: OAuth client credentials, a signed upload
address, the PDF ``PUT`` there, letters created with an ``Idempotency-Key``
(a repeat answers with the first letter), their status, cancel. It keeps every
letter (with its PDF) and counts the creates per key, so a test sees exactly
what was printed and whether anything came twice. Runs in a thread on a free
port of 127.0.0.1; a test moves a letter on with ``set_status``.
"""

import datetime as dt
import itertools
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.local_servers import free_port

TOKEN = "standin-token"


@dataclass
class Letter:
    id: str
    key: str
    pdf: bytes
    attributes: dict[str, Any]
    status: str = "valid"
    submitted_at: str = ""


@dataclass
class PrintStandin:
    """The server's state; ``url`` is both its API and its identity address."""

    port: int = field(default_factory=free_port)
    letters: dict[str, Letter] = field(default_factory=dict)
    creates: Counter[str] = field(default_factory=Counter)
    uploads: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The next creates answered with HTTP 503 after the letter was made (an answer lost).
    lose_answers: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The settings that point the adapter here (as environment variables)."""
        return {
            "NOTICES_PINGEN_API_URL": self.url,
            "NOTICES_PINGEN_IDENTITY_URL": self.url,
            "NOTICES_PINGEN_CLIENT_ID": "rathaus",
            "NOTICES_PINGEN_CLIENT_SECRET": "geheim",
            "NOTICES_PINGEN_ORGANISATION": "org-1",
        }

    def keys(self) -> list[str]:
        with self.lock:
            return [letter.key for letter in self.letters.values()]

    def letters_per_key(self) -> Counter[str]:
        with self.lock:
            return Counter(letter.key for letter in self.letters.values())

    def duplicates(self) -> int:
        """Creates beyond the first under one key (strict: even a repeat the key answers
        with the first letter counts)."""
        with self.lock:
            return sum(n - 1 for n in self.creates.values() if n > 1)

    def clear(self) -> None:
        with self.lock:
            self.letters.clear()
            self.creates.clear()
            self.uploads.clear()
            self.lose_answers = 0

    def set_status(self, letter_id: str, status: str, submitted_at: str = "") -> None:
        with self.lock:
            self.letters[letter_id].status = status
            self.letters[letter_id].submitted_at = submitted_at

    def start(self) -> "PrintStandin":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, body: Any = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.api+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._send(401, {"errors": [{"title": "Unauthenticated"}]})
                    return False
                return True

            def _letter_json(self, letter: Letter) -> dict[str, Any]:
                return {
                    "data": {
                        "id": letter.id,
                        "type": "letters",
                        "attributes": {
                            **letter.attributes,
                            "status": letter.status,
                            "submitted_at": letter.submitted_at or None,
                        },
                    }
                }

            def do_POST(self) -> None:
                body = self._body()
                if self.path == "/auth/access-tokens":
                    if b"client_secret=geheim" not in body:
                        self._send(400, {"error": "invalid_client"})
                        return
                    self._send(
                        200, {"token_type": "Bearer", "expires_in": 43200, "access_token": TOKEN}
                    )
                    return
                if not self._authorised():
                    return
                if self.path.endswith("/deliveries/letters"):
                    key = self.headers.get("Idempotency-Key", "")
                    attributes = json.loads(body)["data"]["attributes"]
                    upload_id = attributes["file_url"].rsplit("/", 1)[-1]
                    with standin.lock:
                        standin.creates[key] += 1
                        same = [
                            letter
                            for letter in standin.letters.values()
                            if key and letter.key == key
                        ]
                        if same:
                            self._send(201, self._letter_json(same[0]))
                            return
                        if attributes.get("file_url_signature") != f"sig-{upload_id}":
                            self._send(422, {"errors": [{"title": "Invalid file signature"}]})
                            return
                        pdf = standin.uploads.get(upload_id, b"")
                        if not pdf.startswith(b"%PDF-"):
                            self._send(422, {"errors": [{"title": "File is no PDF"}]})
                            return
                        letter = Letter(
                            id=f"letter-{next(standin._ids)}",
                            key=key,
                            pdf=pdf,
                            attributes=attributes,
                        )
                        standin.letters[letter.id] = letter
                        lost = standin.lose_answers > 0
                        standin.lose_answers -= int(lost)
                    if lost:
                        self._send(503, {"errors": [{"title": "Service Unavailable"}]})
                        return
                    self._send(201, self._letter_json(letter))
                    return
                self._send(404, {"errors": [{"title": "Not found"}]})

            def do_GET(self) -> None:
                if not self._authorised():
                    return
                if self.path == "/file-upload":
                    with standin.lock:
                        upload_id = f"u{next(standin._ids)}"
                    self._send(
                        200,
                        {
                            "data": {
                                "id": upload_id,
                                "type": "file_uploads",
                                "attributes": {
                                    "url": f"{standin.url}/uploads/{upload_id}",
                                    "url_signature": f"sig-{upload_id}",
                                    "expires_at": (
                                        dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
                                    ).isoformat(),
                                },
                            }
                        },
                    )
                    return
                letter_id = self.path.rsplit("/", 1)[-1]
                with standin.lock:
                    letter = standin.letters.get(letter_id)
                if letter is None:
                    self._send(404, {"errors": [{"title": "Not found"}]})
                    return
                self._send(200, self._letter_json(letter))

            def do_PUT(self) -> None:
                body = self._body()
                upload_id = self.path.rsplit("/", 1)[-1]
                with standin.lock:
                    standin.uploads[upload_id] = body
                self._send(200)

            def do_PATCH(self) -> None:
                if not self._authorised():
                    return
                letter_id = self.path.removesuffix("/cancel").rsplit("/", 1)[-1]
                with standin.lock:
                    letter = standin.letters.get(letter_id)
                    if letter is None or letter.status in ("sent", "printing", "cancelled"):
                        self._send(422, {"errors": [{"title": "Letter cannot be cancelled"}]})
                        return
                    letter.status = "cancelled"
                self._send(202, self._letter_json(letter))

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
