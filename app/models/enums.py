"""Enumerations stored as short strings."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    WIJKDOCENT = "wijkdocent"
    PARTNER = "partner"
    STUDENT = "student"


class Language(StrEnum):
    NL = "nl"
    EN = "en"


class Phase(StrEnum):
    CONCEPT = "concept"
    INTAKE = "intake"
    RANKING = "ranking"
    MATCHING = "matching"
    REVIEW = "review"
    PUBLISHED = "published"
    # After publication: teams record their outcomes, partners evaluate (app.outcomes).
    CLOSING = "closing"
    CLOSED = "closed"

    @classmethod
    def order(cls) -> list["Phase"]:
        return list(cls)

    def next(self) -> "Phase | None":
        phases = list(Phase)
        i = phases.index(self)
        return phases[i + 1] if i + 1 < len(phases) else None

    def previous(self) -> "Phase | None":
        phases = list(Phase)
        i = phases.index(self)
        return phases[i - 1] if i > 0 else None


class OpdrachtStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class PartnerKind(StrEnum):
    MUNICIPALITY = "municipality"
    WELFARE = "welfare"
    CARE = "care"
    HOUSING = "housing"
    EDUCATION = "education"
    SOCIAL_ENTERPRISE = "social_enterprise"
    KNOWLEDGE = "knowledge"
    OTHER = "other"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class TeamStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
