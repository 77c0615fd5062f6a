"""All table models; importing this package registers them on SQLModel.metadata."""

from app.models._base import utcnow
from app.models.catalogue import (
    Opdracht,
    OpdrachtCopartner,
    OpdrachtRequiredProgramme,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Preference,
    Semester,
)
from app.models.enums import (
    Language,
    OpdrachtStatus,
    PartnerKind,
    Phase,
    Role,
    RunStatus,
    TeamStatus,
)
from app.models.groups import GroupMember, StudentGroup
from app.models.integrity import LoginCounter
from app.models.matching import Ban, MatchRun, Member, Team
from app.models.notification import Notification
from app.models.oidc import OidcIdentity, OidcLogin, PasswordLogin
from app.models.outcomes import (
    Deliverable,
    DeliverableKind,
    LearningEffect,
    PartnerPlan,
    TeamOutcome,
    TeamOutcomeEffect,
)
from app.models.pending import PendingImport
from app.models.people import (
    Leerkring,
    LeerkringWijkdocent,
    Partner,
    PartnerLeerkring,
    PartnerUser,
    Programme,
    StudentProfile,
    TargetGroup,
    Theme,
    User,
)
from app.models.profiles import ProfileComparison
from app.models.publication import PublishedMember, PublishedTeam
from app.models.reset import PasswordReset, PasswordResetRequest
from app.models.system import (
    ApiToken,
    AuditEvent,
    Invitation,
    LoginAttempt,
    OutboxMessage,
    UserSession,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Ban",
    "Deliverable",
    "DeliverableKind",
    "GroupMember",
    "Invitation",
    "Language",
    "LearningEffect",
    "Leerkring",
    "LeerkringWijkdocent",
    "LoginAttempt",
    "LoginCounter",
    "MatchRun",
    "Member",
    "Notification",
    "OidcIdentity",
    "OidcLogin",
    "Opdracht",
    "OpdrachtCopartner",
    "OpdrachtRequiredProgramme",
    "OpdrachtStatus",
    "OpdrachtTargetGroup",
    "OpdrachtTheme",
    "OutboxMessage",
    "Partner",
    "PartnerKind",
    "PartnerLeerkring",
    "PartnerPlan",
    "PartnerUser",
    "PasswordLogin",
    "PasswordReset",
    "PasswordResetRequest",
    "PendingImport",
    "Phase",
    "Preference",
    "ProfileComparison",
    "Programme",
    "PublishedMember",
    "PublishedTeam",
    "Role",
    "RunStatus",
    "Semester",
    "StudentGroup",
    "StudentProfile",
    "TargetGroup",
    "Team",
    "TeamOutcome",
    "TeamOutcomeEffect",
    "TeamStatus",
    "Theme",
    "User",
    "UserSession",
    "utcnow",
]
