"""Application settings, read from the environment (prefix OM_) and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "change-me-development-only"  # noqa: S105 - refused in production below


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OM_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'opdrachtmatch.db'}"
    secret_key: str = DEFAULT_SECRET
    base_url: str = "http://127.0.0.1:8000"
    default_language: Literal["nl", "en"] = "nl"
    session_idle_minutes: int = 120
    session_absolute_hours: int = 12
    invitation_days: int = 14
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    # "starttls" (port 587), "tls" (implicit TLS, port 465) or "none" (a local relay only).
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_timeout: float = 30
    # A CA bundle (PEM) to verify the SMTP server with, e.g. an internal relay; default: the
    # system's trusted certificates.
    smtp_ca_file: str = ""
    # With SMTP configured, each server process delivers the outbox this often (0: only
    # ``python -m app.ops deliver`` does).
    mail_interval_seconds: float = 30
    mail_from: str = "opdrachtmatch@localhost"
    retention_months: int = 12
    # JSON API: requests per minute and token; counted in each server process.
    api_rate_limit_per_minute: int = 600
    # Largest request body in bytes; larger requests get 413.
    max_body_bytes: int = 5 * 1024 * 1024
    # Uploaded deliverables (PDF) of at most upload_max_bytes, stored in upload_dir; a
    # multipart body may be that large (plus the form around it).
    upload_dir: Path = ROOT / "var" / "uploads"
    upload_max_bytes: int = 10 * 1024 * 1024
    # Mark runs left active by a dead process failed when the app starts (the suite turns
    # this off: its own transaction holds the SQLite write lock while the app starts).
    recover_runs_at_startup: bool = True
    # Sign-in through an OpenID Connect provider (SURFconext); off while the issuer is empty.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid email profile"
    oidc_claim_subject: str = "sub"
    oidc_claim_email: str = "email"
    oidc_claim_email_verified: str = "email_verified"
    oidc_claim_student_number: str = "schac_personal_unique_code"
    oidc_claim_affiliation: str = "eduperson_affiliation"
    # Treat the e-mail claim as verified when the provider does not send email_verified
    # (an institution's own addresses, released by SURFconext).
    oidc_trust_email: bool = False
    oidc_timeout_seconds: float = 5.0

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "OM_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production"
            )
        return self

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
