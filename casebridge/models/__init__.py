"""SQLAlchemy models of the case domain."""

from .accounts import Invite, Role, User
from .attachments import Attachment, AttachmentStatus
from .base import Base, utcnow
from .cases import Case, CaseEvent, Party, Referral
from .forwards import Forward
from .intakes import Intake
from .messages import Message
from .orgs import ApiKey, Caseworker, Organisation
from .people import ContactEvent, Reporter, Worker
from .sessions import ChannelSession

__all__ = [
    "ApiKey",
    "Attachment",
    "AttachmentStatus",
    "Base",
    "Case",
    "CaseEvent",
    "Caseworker",
    "ChannelSession",
    "ContactEvent",
    "Forward",
    "Intake",
    "Invite",
    "Message",
    "Organisation",
    "Party",
    "Referral",
    "Reporter",
    "Role",
    "User",
    "Worker",
    "utcnow",
]
