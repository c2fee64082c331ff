"""The provider's TLS certificate for go-plugin's handshake: made once, then read back without ``cryptography``.

Terraform talks to a plugin over TLS and learns the plugin's certificate from its handshake line, so every
launch needs one. Terraform launches the provider three to five times per command, so the launch path
matters: ``tf``'s own helper imports ``cryptography`` (about 30 ms) on every launch just to check the cached
certificate's expiry. Here the cache stores the expiry as a number beside the PEM texts, and only a missing,
unreadable or expiring cache imports ``cryptography`` to make a new pair: an ECDSA P-256 key (quicker to
make and use than RSA, and stronger than ``tf``'s RSA-1024) and a self-signed certificate for ``localhost``.

The cache is ``~/.cache/terraform-provider-blaxel/tls.json``, written atomically with mode 0600 (it holds
the private key of a certificate that only ever secures a local Unix socket). A cache that cannot be
written is not an error: the pair is used for this launch and made again next time.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Final

__all__ = ["CACHE_NAME", "VALID_DAYS", "ServerCertificate", "cache_path", "load_or_create"]

CACHE_NAME: Final = "tls.json"
#: How long a new certificate is valid; one is made again a day before it ends.
VALID_DAYS: Final = 30
_RENEW_MARGIN_SECONDS: Final = 86_400.0
_PEM_HEADER: Final = "-----BEGIN CERTIFICATE-----"
_PEM_FOOTER: Final = "-----END CERTIFICATE-----"


@dataclass(frozen=True)
class ServerCertificate:
    """A key pair in PEM, the certificate's expiry (Unix seconds), and its DER bytes for the handshake."""

    cert_pem: bytes
    key_pem: bytes
    not_after: float

    @property
    def der(self) -> bytes:
        """The certificate in DER: go-plugin's handshake carries it base64-encoded."""
        text = self.cert_pem.decode("ascii")
        body = text.split(_PEM_HEADER, 1)[1].split(_PEM_FOOTER, 1)[0]
        return base64.b64decode("".join(body.split()))

    def fresh(self, now: float) -> bool:
        """True while the certificate stays valid for at least another day."""
        return self.not_after - now > _RENEW_MARGIN_SECONDS


def cache_path() -> Path:
    """Where the pair is kept between launches."""
    return Path.home() / ".cache" / "terraform-provider-blaxel" / CACHE_NAME


def load_or_create(path: Path | None = None, *, now: float | None = None) -> ServerCertificate:
    """The cached certificate if it is readable and fresh, else a new one (cached when possible)."""
    path = path or cache_path()
    now = time.time() if now is None else now
    cached = _load(path)
    if cached is not None and cached.fresh(now):
        return cached
    made = _create(now)
    _store(path, made)
    return made


def _load(path: Path) -> ServerCertificate | None:
    try:
        data = json.loads(path.read_text())
        found = ServerCertificate(
            cert_pem=str(data["cert_pem"]).encode(),
            key_pem=str(data["key_pem"]).encode(),
            not_after=float(data["not_after"]),
        )
        found.der  # noqa: B018 - a cache whose certificate does not decode is as good as none
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return found


def _store(path: Path, certificate: ServerCertificate) -> None:
    text = json.dumps(
        {
            "cert_pem": certificate.cert_pem.decode(),
            "key_pem": certificate.key_pem.decode(),
            "not_after": certificate.not_after,
        }
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".tls-", dir=path.parent)
        try:
            with os.fdopen(descriptor, "w") as handle:  # mkstemp creates the file with mode 0600
                handle.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return  # not cached: this launch uses the pair anyway


def _create(now: float) -> ServerCertificate:
    """A new ECDSA P-256 key and a self-signed certificate for ``localhost`` (client and server auth)."""
    from datetime import datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = datetime.fromtimestamp(now, UTC) - timedelta(minutes=5)
    end = start + timedelta(days=VALID_DAYS)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return ServerCertificate(
        cert_pem=certificate.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        not_after=end.timestamp(),
    )
