"""SMTP over TLS as OM_SMTP_SECURITY says: STARTTLS and implicit TLS, with the server's
certificate verified (here against a throwaway CA file), and login only over TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlmodel import Session, select

from app.config import Settings
from app.mail import deliver_pending, queue_mail
from app.models import OutboxMessage
from tests.notifications.conftest import PASSWORD, USER, Inbox, free_port

# The implicit-TLS server is TLS throughout, which aiosmtpd does not count for AUTH.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


@pytest.fixture(params=["starttls", "tls"])
def tls_server(request: pytest.FixtureRequest, certificate) -> Iterator[tuple[Inbox, str]]:
    inbox = Inbox(port=free_port())
    context = _server_context(certificate)
    options: dict[str, Any] = (
        {"tls_context": context, "require_starttls": True}
        if request.param == "starttls"
        else {"ssl_context": context}  # TLS from the first byte
    )
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=inbox.port,
        authenticator=_authenticate,
        auth_required=True,  # no mail without a login
        # aiosmtpd counts only STARTTLS as TLS for AUTH; with implicit TLS all of it is TLS.
        auth_require_tls=request.param == "starttls",
        **options,
    )
    controller.start()
    try:
        yield inbox, request.param
    finally:
        controller.stop()


def _settings(port: int, security: str, **kw: object) -> Settings:
    return Settings(
        environment="test",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security=security,  # type: ignore[arg-type]
        smtp_user=USER,
        smtp_password=PASSWORD,
        smtp_timeout=5,
        **kw,  # type: ignore[arg-type]
    )


def test_mail_goes_over_tls_with_login_when_the_certificate_is_trusted(
    session: Session, tls_server, certificate
):
    inbox, security = tls_server
    queue_mail(session=session, to="student@example.org", subject="Over TLS", body="Hallo")
    session.commit()
    settings = _settings(inbox.port, security, smtp_ca_file=str(certificate[0]))
    assert deliver_pending(session=session, settings=settings) == 1
    assert [m["Subject"] for m in inbox.messages] == ["Over TLS"]


def test_an_untrusted_certificate_is_refused_and_the_mail_kept(session: Session, tls_server):
    inbox, security = tls_server
    queue_mail(session=session, to="student@example.org", subject="Niet vertrouwd", body="Hallo")
    session.commit()
    assert deliver_pending(session=session, settings=_settings(inbox.port, security)) == 0
    session.expire_all()
    [message] = session.exec(select(OutboxMessage)).all()
    assert message.attempts == 1
    assert "CERTIFICATE_VERIFY_FAILED" in message.last_error
    assert inbox.messages == []
