"""A software WebAuthn authenticator (ES256, "none" attestation), as a phone's would answer.

It signs what a browser on ``origin`` would hand it, so tests run the server's
real verification (the ``webauthn`` library) without a browser. The browser
journey uses Chromium's own virtual authenticator instead.
"""

import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

FLAGS_USER_PRESENT = 0x01
FLAGS_USER_VERIFIED = 0x04
FLAGS_ATTESTED = 0x40


@dataclass
class Credential:
    credential_id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    """Keeps its credentials like a phone does; answers ``create`` and ``get`` options."""

    credentials: list[Credential] = field(default_factory=list)

    def create(self, options: str | dict[str, Any], *, origin: str) -> dict[str, Any]:
        """The browser's JSON answer to ``navigator.credentials.create`` on ``origin``."""
        data = json.loads(options) if isinstance(options, str) else options
        rp_id = data["rp"]["id"]
        credential = Credential(
            credential_id=os.urandom(32),
            key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=base64url_to_bytes(data["user"]["id"]),
        )
        self.credentials.append(credential)
        numbers = credential.key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([FLAGS_USER_PRESENT | FLAGS_USER_VERIFIED | FLAGS_ATTESTED])
            + struct.pack(">I", 0)
            + bytes(16)
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + cose_key
        )
        client_data = self._client_data("webauthn.create", data["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": bytes_to_base64url(credential.credential_id),
            "rawId": bytes_to_base64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(
        self,
        options: str | dict[str, Any],
        *,
        origin: str,
        credential: Credential | None = None,
    ) -> dict[str, Any]:
        """The answer to ``navigator.credentials.get``: signed by ``credential`` (default: the
        first one made for the options' RP ID, as a phone offers only those)."""
        data = json.loads(options) if isinstance(options, str) else options
        if credential is None:
            credential = next(c for c in self.credentials if c.rp_id == data["rpId"])
        credential.sign_count += 1
        auth_data = (
            hashlib.sha256(credential.rp_id.encode()).digest()
            + bytes([FLAGS_USER_PRESENT | FLAGS_USER_VERIFIED])
            + struct.pack(">I", credential.sign_count)
        )
        client_data = self._client_data("webauthn.get", data["challenge"], origin)
        signature = credential.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": bytes_to_base64url(credential.credential_id),
            "rawId": bytes_to_base64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": bytes_to_base64url(credential.user_handle),
            },
            "clientExtensionResults": {},
        }

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()
