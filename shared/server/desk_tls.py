"""The leader's desk's certificate: HTTPS on the office network, trusted once.

No password or session cookie may cross the network in clear (issue 12, part 4), and
an office has no domain name for a public certificate. So the server makes its own
small certificate authority at first start (``desk-ca.crt``, its key ``desk-ca.key``,
0600), which a leader's browser or PC trusts once, after comparing its fingerprint
with the one ``motcua serve`` prints; and, signed by it, the certificate the desk
serves (``desk.crt``), for this machine's names and addresses. When the machine's
address changes, a new one is signed by the same authority: nobody trusts anything
again. An office with a certificate of its own gives it in ``[desk]`` instead.

Imports the ``cryptography`` package and the standard library.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from shared.core.errors import MotcuaError
from shared.core.private_files import write_private
from shared.core.system_words import said

log = logging.getLogger(__name__)

CA_FILE: Final = "desk-ca.crt"
CA_KEY_FILE: Final = "desk-ca.key"
CERT_FILE: Final = "desk.crt"
KEY_FILE: Final = "desk.key"
CA_YEARS: Final = 10
LEAF_DAYS: Final = 397  # what browsers accept for a server certificate


class DeskCertificateError(MotcuaError):
    """The desk's certificate cannot be read or made."""


@dataclass(frozen=True)
class DeskCertificate:
    certificate: Path  # what the desk serves (with the authority after it)
    key: Path
    authority: Path | None  # what a leader trusts once; None: the office's own certificate

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.load_cert_chain(self.certificate, self.key)
        except (OSError, ssl.SSLError) as problem:
            raise DeskCertificateError(
                f"Không đọc được chứng chỉ {self.certificate} hoặc khoá {self.key}: {problem}. "
                f"/ Cannot load the desk's certificate {self.certificate} and key {self.key}: "
                f"{problem}") from problem
        return context

    def fingerprint(self) -> str:
        """SHA-256 of the certificate a leader trusts, as browsers show it (AB:CD:…)."""
        trusted = self.authority or self.certificate
        certificate = x509.load_pem_x509_certificate(trusted.read_bytes())
        return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def office_certificate(certificate: str, key: str) -> DeskCertificate:
    paths = Path(certificate), Path(key)
    for path in paths:
        if not path.is_file():
            raise DeskCertificateError(f"Không có tệp {path} ([desk] trong tệp cấu hình). / "
                                       f"No file {path} (the office file's [desk]).")
    return DeskCertificate(paths[0], paths[1], None)


def own_certificate(data_dir: Path, office_name: str, addresses: list[str],
                    *, now: datetime | None = None) -> DeskCertificate:
    """The desk's certificate in ``data_dir``, made (or made again, for new addresses
    or when it nears its end) by the office's own authority, made once."""
    now = now or datetime.now(UTC)
    ca_path, ca_key_path = data_dir / CA_FILE, data_dir / CA_KEY_FILE
    try:
        if ca_path.is_file() and ca_key_path.is_file():
            authority = x509.load_pem_x509_certificate(ca_path.read_bytes())
            authority_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), None)
        else:
            authority_key = ec.generate_private_key(ec.SECP256R1())
            authority = _authority(office_name, authority_key, now)
            write_private(ca_key_path, _key_pem(authority_key))
            write_private(ca_path, authority.public_bytes(serialization.Encoding.PEM).decode())
            log.info("made the desk's certificate authority %s", ca_path)
        if not isinstance(authority_key, ec.EllipticCurvePrivateKey):
            raise DeskCertificateError(said("not_ec_key", path=ca_key_path))
        cert_path, key_path = data_dir / CERT_FILE, data_dir / KEY_FILE
        given = set(addresses)
        ips = sorted({"127.0.0.1", *(a for a in given if _is_ip(a))})
        names = sorted({"localhost", socket.gethostname(), f"{socket.gethostname()}.local",
                        *(a for a in given if not _is_ip(a))})
        if not _covers(cert_path, authority, names, ips, now) or not key_path.is_file():
            key = ec.generate_private_key(ec.SECP256R1())
            leaf = _leaf(authority, authority_key, key, names, ips, now)
            write_private(key_path, _key_pem(key))
            write_private(cert_path, leaf.public_bytes(serialization.Encoding.PEM).decode()
                          + authority.public_bytes(serialization.Encoding.PEM).decode())
            log.info("made the desk's certificate for %s", ", ".join(names + ips))
    except (OSError, ValueError) as problem:
        raise DeskCertificateError(
            f"Không tạo được chứng chỉ cho bàn làm việc của lãnh đạo trong {data_dir}: "
            f"{problem}. / Cannot make the desk's certificate in {data_dir}: {problem}"
        ) from problem
    return DeskCertificate(cert_path, key_path, ca_path)


def _fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` bytes of UTF-8 (a certificate counts bytes, and a
    Vietnamese office's name has many two- and three-byte letters)."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def _key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _authority(office_name: str, key: ec.EllipticCurvePrivateKey,
               now: datetime) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         _fit(f"motcua — {office_name}", 64))])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))


def _leaf(authority: x509.Certificate, authority_key: ec.EllipticCurvePrivateKey,
          key: ec.EllipticCurvePrivateKey, names: list[str], ips: list[str],
          now: datetime) -> x509.Certificate:
    alternative = [x509.DNSName(n) for n in names] + [
        x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(authority.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=LEAF_DAYS))
            .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                authority_key.public_key()), critical=False)
            .sign(authority_key, hashes.SHA256()))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _covers(path: Path, authority: x509.Certificate, names: list[str], ips: list[str],
            now: datetime) -> bool:
    """Whether the certificate at ``path`` is this authority's and names all of these,
    for a month yet."""
    if not path.is_file():
        return False
    try:
        leaf = x509.load_pem_x509_certificate(path.read_bytes())
        leaf.verify_directly_issued_by(authority)  # not one of an authority made before
        alternative = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    has_names = set(alternative.get_values_for_type(x509.DNSName))
    has_ips = {str(ip) for ip in alternative.get_values_for_type(x509.IPAddress)}
    fresh = leaf.not_valid_after_utc - now > timedelta(days=30)
    return fresh and set(names) <= has_names and set(ips) <= has_ips
