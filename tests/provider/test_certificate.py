"""The provider's TLS certificate: made once, read back from the cache without ``cryptography``, renewed in time."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from blaxel_constructs.provider import certificate
from blaxel_constructs.provider.certificate import VALID_DAYS, ServerCertificate, load_or_create

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC).timestamp()


def test_a_new_certificate_is_an_ecdsa_certificate_for_localhost_valid_for_its_days(tmp_path: Path) -> None:
    made = load_or_create(tmp_path / "tls.json", now=NOW)
    parsed = x509.load_der_x509_certificate(made.der)
    assert parsed.public_bytes(serialization.Encoding.PEM) == made.cert_pem
    assert isinstance(parsed.public_key(), ec.EllipticCurvePublicKey)
    assert parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    ) == ["localhost"]
    usages = parsed.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usages
    assert parsed.not_valid_before_utc.timestamp() < NOW
    assert parsed.not_valid_after_utc.timestamp() == pytest.approx(made.not_after, abs=1)
    assert made.not_after - NOW == pytest.approx(VALID_DAYS * 86_400, abs=600)


def test_the_cache_is_private_and_a_second_launch_reads_the_same_pair_back(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "tls.json"
    first = load_or_create(path, now=NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create(path, now=NOW + 3600) == first


def test_a_certificate_that_ends_within_a_day_is_made_again(tmp_path: Path) -> None:
    path = tmp_path / "tls.json"
    first = load_or_create(path, now=NOW)
    later = first.not_after - 3600
    renewed = load_or_create(path, now=later)
    assert renewed != first
    assert renewed.not_after > later + 86_400
    assert load_or_create(path, now=later) == renewed


@pytest.mark.parametrize(
    "content",
    ["not json", "{}", '{"cert_pem": "x", "key_pem": "y", "not_after": 9e12}', '{"cert_pem": 1, "not_after": "soon"}'],
)
def test_an_unreadable_cache_is_replaced_by_a_new_pair(tmp_path: Path, content: str) -> None:
    path = tmp_path / "tls.json"
    path.write_text(content)
    made = load_or_create(path, now=NOW)
    x509.load_der_x509_certificate(made.der)
    assert json.loads(path.read_text())["not_after"] == made.not_after


def test_a_cache_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    made = load_or_create(blocker / "tls.json", now=NOW)  # its parent is a file: mkdir fails
    assert isinstance(made, ServerCertificate)
    x509.load_der_x509_certificate(made.der)


def test_reading_a_cached_certificate_does_not_import_cryptography(tmp_path: Path) -> None:
    path = tmp_path / "tls.json"
    load_or_create(path)
    probe = (
        "import sys; from pathlib import Path; "
        "from blaxel_constructs.provider.certificate import load_or_create; "
        f"load_or_create(Path({str(path)!r})); "
        "print(any(m.split('.')[0] == 'cryptography' for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_default_cache_lives_under_the_home_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert certificate.cache_path() == tmp_path / ".cache" / "terraform-provider-blaxel" / "tls.json"
