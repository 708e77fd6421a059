"""The node's own certificate authority and its HTTPS server certificate.

Tablets reach a node at a LAN address, where browsers allow service workers
only over HTTPS. A public CA cannot certify `kangemi-pi.local` or
`192.168.1.20`, so each node makes its own CA at `sauti init`:

    home/tls/
      ca.crt       the CA certificate (PEM): public, tablets install it once
      ca.key       the CA key, owner-only (0600)
      server.crt   the HTTPS certificate, issued by the CA for the node's
      server.key   names and addresses (owner-only key)

The CA is name-constrained (RFC 5280): it can only vouch for the node's own
names and for private, loopback and link-local addresses, so a tablet that
trusts it trusts nothing on the internet. Every certificate is dated a year
back, because tablets and village servers often have wrong clocks.

Nothing here imports Flask.
"""

import datetime as dt
import ipaddress
import itertools
import os
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.node import clock

TLS_DIR = "tls"
BACKDATE = dt.timedelta(days=365)
CA_LIFETIME = dt.timedelta(days=20 * 365)
SERVER_LIFETIME = dt.timedelta(days=2 * 365)
RENEW_BEFORE = dt.timedelta(days=60)
NAMES_ENV = "SAUTI_TLS_NAMES"  # extra DNS names / addresses, comma-separated

# Addresses a node may be reached at: loopback, private LAN, link-local.
PERMITTED_NETWORKS = [
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
    )
]


class TLSError(Exception):
    """A problem with the node's certificates; the message says what to do."""


def tls_dir(home_path) -> Path:
    return Path(home_path) / TLS_DIR


def ca_cert_path(home_path) -> Path:
    return tls_dir(home_path) / "ca.crt"


def _write(path: Path, data: bytes, *, private: bool) -> None:
    """Write atomically; private files are owner-only from the start."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def configured_names() -> list[str]:
    raw = os.environ.get(NAMES_ENV, "")
    return [n.strip().lower().rstrip(".") for n in raw.split(",") if n.strip()]


def node_dns_names(extra=()) -> list[str]:
    """The node's DNS names: hostname, hostname.local, localhost, configured."""
    host = socket.gethostname().split(".")[0].lower()
    names = [host, f"{host}.local", "localhost", *configured_names(), *extra]
    seen = []
    for name in names:
        if name and not _is_ip(name) and name not in seen:
            seen.append(name)
    return seen


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def permitted(address) -> bool:
    address = ipaddress.ip_address(address)
    return any(address in net for net in PERMITTED_NETWORKS if net.version == address.version)


def local_addresses() -> list:
    """The node's own addresses the CA may certify (loopback, LAN, link-local)."""
    found = {"127.0.0.1", "::1"}
    fib = Path("/proc/net/fib_trie")
    if fib.exists():  # Linux: every local IPv4 address, without any traffic
        lines = fib.read_text().splitlines()
        for before, line in itertools.pairwise(lines):
            if "/32 host LOCAL" in line:
                found.add(before.split()[-1])
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.add(info[4][0].split("%")[0])
    except OSError:
        pass
    found.update(n for n in configured_names() if _is_ip(n))
    addresses = {ipaddress.ip_address(a) for a in found if _is_ip(a)}
    return sorted((a for a in addresses if permitted(a)), key=lambda a: (a.version, int(a)))


def create_ca(home_path, *, node_name: str = "Sauti node") -> Path:
    """Create the node's CA in HOME/tls (refuses to replace an existing one)."""
    folder = tls_dir(home_path)
    folder.mkdir(mode=0o700, exist_ok=True)
    if (folder / "ca.key").exists():
        raise TLSError(f"{folder / 'ca.key'} already exists; the node keeps its CA.")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Sauti local CA: {node_name}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sauti node"),
        ]
    )
    now = clock.now()
    subtrees = [x509.DNSName(n) for n in node_dns_names()]
    subtrees += [x509.IPAddress(net) for net in PERMITTED_NETWORKS]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.NameConstraints(permitted_subtrees=subtrees, excluded_subtrees=None),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(folder / "ca.key", _key_pem(key), private=True)
    _write(folder / "ca.crt", cert.public_bytes(serialization.Encoding.PEM), private=False)
    return folder / "ca.crt"


def load_ca(home_path) -> x509.Certificate:
    path = ca_cert_path(home_path)
    if not path.exists():
        raise TLSError(
            f"this node has no certificate authority yet ({path} is missing); "
            "run 'sauti serve --tls' once to create it."
        )
    return x509.load_pem_x509_certificate(path.read_bytes())


def ca_der(home_path) -> bytes:
    """The CA certificate in DER, the form Android's installer expects."""
    return load_ca(home_path).public_bytes(serialization.Encoding.DER)


def ca_fingerprint(home_path) -> str:
    """SHA-256 of the CA certificate, as Android shows it (AA:BB:...)."""
    digest = load_ca(home_path).fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _allowed_by_ca(ca: x509.Certificate, dns: list[str], ips: list) -> tuple[list, list]:
    """Keep only the names and addresses the CA's constraints permit."""
    constraints = ca.extensions.get_extension_for_class(x509.NameConstraints).value
    dns_ok = [
        s.value.lower() for s in constraints.permitted_subtrees if isinstance(s, x509.DNSName)
    ]
    nets = [s.value for s in constraints.permitted_subtrees if isinstance(s, x509.IPAddress)]
    names = [n for n in dns if any(n == d or n.endswith("." + d) for d in dns_ok)]
    addresses = [a for a in ips if any(a.version == n.version and a in n for n in nets)]
    return names, addresses


def _needs_renewal(cert_path: Path, key_path: Path, names: list, addresses: list) -> bool:
    if not (cert_path.exists() and key_path.exists()):
        return True
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return True
    if cert.not_valid_after_utc - clock.now() < RENEW_BEFORE:
        return True
    have_names = set(san.get_values_for_type(x509.DNSName))
    have_ips = set(san.get_values_for_type(x509.IPAddress))
    return not (set(names) <= have_names and set(addresses) <= have_ips)


def ensure_server_cert(home_path, *, extra=()) -> tuple[Path, Path]:
    """The HTTPS certificate and key for this node, issued (again) when missing,
    expiring within 60 days, or not covering the node's current names and
    addresses. EXTRA: more names or addresses (e.g. the --host to listen on).
    Creates the CA first for a home made before the CA existed."""
    folder = tls_dir(home_path)
    if not (folder / "ca.key").exists():
        create_ca(home_path)
    ca = load_ca(home_path)
    ca_key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), None)
    extra = [e for e in extra if e and e not in ("0.0.0.0", "::")]
    dns = node_dns_names([e.lower() for e in extra if not _is_ip(e)])
    ips = sorted(
        set(local_addresses()) | {ipaddress.ip_address(e) for e in extra if _is_ip(e)},
        key=lambda a: (a.version, int(a)),
    )
    names, addresses = _allowed_by_ca(ca, dns, ips)
    cert_path, key_path = folder / "server.crt", folder / "server.key"
    if not _needs_renewal(cert_path, key_path, names, addresses):
        return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    now = clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + SERVER_LIFETIME)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(n) for n in names] + [x509.IPAddress(a) for a in addresses]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write(key_path, _key_pem(key), private=True)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), private=False)
    return cert_path, key_path
