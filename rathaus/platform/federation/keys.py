"""Each town's own SAML service-provider key pair (made with ``cryptography``)."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def sp_keypair_generate(*, common_name: str) -> tuple[str, str]:
    """A new RSA-3072 key and a self-signed certificate (10 years), both PEM.

    SAML federations trust the certificate in the SP metadata, not a CA, so
    self-signed is what the state-account providers expect.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@contextmanager
def keyfiles(*, key_pem: str, cert_pem: str) -> Iterator[tuple[str, str]]:
    """The key pair as files for the xmlsec1 program, for one operation only.

    pysaml2 hands keys to xmlsec1 by path. The files live in a private
    temporary folder (mode 0700) and are removed at once afterwards, so the
    decrypted key never stays on disk.
    """
    with TemporaryDirectory(prefix="rathaus-sp-") as folder:
        key_path = Path(folder) / "sp.key"
        cert_path = Path(folder) / "sp.crt"
        key_path.touch(mode=0o600)
        key_path.write_text(key_pem)
        cert_path.write_text(cert_pem)
        yield str(key_path), str(cert_path)
