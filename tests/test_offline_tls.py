"""The node-local certificate authority and `sauti serve --tls`."""

import datetime as dt
import ipaddress
import os
import signal
import socket
import ssl
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.verification import DNSName, IPAddress, PolicyBuilder, Store

from app.node import tls
from tests.conftest import LiveServer


def load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_init_creates_a_name_constrained_backdated_ca(node_home):
    folder = node_home / "tls"
    assert oct(os.stat(folder / "ca.key").st_mode & 0o777) == "0o600"
    assert oct(os.stat(folder).st_mode & 0o777) == "0o700"
    ca = load(folder / "ca.crt")
    now = dt.datetime.now(dt.UTC)
    backdated = now - ca.not_valid_before_utc
    assert dt.timedelta(days=364) < backdated < dt.timedelta(days=366)
    basic = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length == 0
    constraints = ca.extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical
    dns = {s.value for s in constraints.value.permitted_subtrees if isinstance(s, x509.DNSName)}
    nets = {s.value for s in constraints.value.permitted_subtrees if isinstance(s, x509.IPAddress)}
    host = socket.gethostname().split(".")[0].lower()
    assert {"localhost", host, f"{host}.local"} <= dns
    assert {
        ipaddress.ip_network("127.0.0.0/8"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("172.16.0.0/12"),
        ipaddress.ip_network("192.168.0.0/16"),
    } <= nets
    assert not any(n.is_global for n in nets)
    with pytest.raises(tls.TLSError):
        tls.create_ca(node_home)  # a node keeps its CA


def verifier(ca, subject):
    return PolicyBuilder().store(Store([ca])).build_server_verifier(subject)


def test_server_certificate_is_issued_for_the_node_and_renewed_when_expiring(
    node_home, monkeypatch
):
    monkeypatch.setenv(tls.NAMES_ENV, "sauti.lan, 192.168.7.20, example.org")
    cert_path, key_path = tls.ensure_server_cert(node_home, extra=["0.0.0.0"])
    assert oct(os.stat(key_path).st_mode & 0o777) == "0o600"
    ca, leaf = tls.load_ca(node_home), load(cert_path)
    # the CA predates the extra name, so its constraints leave sauti.lan out
    for subject in (DNSName("localhost"), IPAddress(ipaddress.ip_address("127.0.0.1"))):
        verifier(ca, subject).verify(leaf, [])
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("192.168.7.20") in san.get_values_for_type(x509.IPAddress)
    assert not {"example.org", "sauti.lan"} & set(san.get_values_for_type(x509.DNSName))
    assert dt.timedelta(days=364) < dt.datetime.now(dt.UTC) - leaf.not_valid_before_utc

    assert tls.ensure_server_cert(node_home) == (cert_path, key_path)
    assert load(cert_path).serial_number == leaf.serial_number  # still good: kept
    monkeypatch.setattr(tls, "RENEW_BEFORE", tls.SERVER_LIFETIME + dt.timedelta(days=1))
    tls.ensure_server_cert(node_home)
    assert load(cert_path).serial_number != leaf.serial_number  # expiring: renewed


def test_names_set_at_init_are_in_the_ca_and_the_ca_cannot_vouch_for_others(tmp_path, monkeypatch):
    from tests.conftest import make_home

    monkeypatch.setenv(tls.NAMES_ENV, "sauti.lan")
    node_home = make_home(tmp_path / "home")
    cert_path, _key = tls.ensure_server_cert(node_home)
    ca = tls.load_ca(node_home)
    verifier(ca, DNSName("sauti.lan")).verify(load(cert_path), [])

    # a certificate for an internet name, signed with the CA's own key, is refused
    ca_key = serialization.load_pem_private_key((node_home / "tls" / "ca.key").read_bytes(), None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    rogue = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "bank.example")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("bank.example")]), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    with pytest.raises(x509.verification.VerificationError):
        verifier(ca, DNSName("bank.example")).verify(rogue, [])


def https_get(url: str, cafile) -> bytes:
    context = ssl.create_default_context(cafile=str(cafile))
    with urllib.request.urlopen(url, context=context, timeout=30) as response:
        return response.read()


def test_serve_tls_answers_over_https_verified_by_the_node_ca(node_home):
    server = LiveServer(node_home, tls=True).start()  # answered /healthz, verified by the CA
    try:
        ca = node_home / "tls" / "ca.crt"
        body = https_get(f"https://127.0.0.1:{server.port}/healthz", ca)
        assert body == b'{"status":"ok"}\n'
        assert https_get(f"https://localhost:{server.port}/healthz", ca) == body
        with pytest.raises(urllib.error.URLError) as refused:  # another node's CA does not do
            https_get(f"https://127.0.0.1:{server.port}/healthz", _other_ca(node_home))
        assert isinstance(refused.value.reason, ssl.SSLCertVerificationError)
        assert server.stop(signal.SIGTERM) == 0
        output = server.output()
        assert f"https://127.0.0.1:{server.port}" in output and "Sauti stopped." in output
    finally:
        server.stop()


def _other_ca(node_home):
    other = node_home.parent / "other"
    other.mkdir()
    return tls.create_ca(other)
