"""SQLAlchemy models of the case domain."""

from .accounts import Invite, Role, User
from .attachments import Attachment, AttachmentStatus
from .base import Base, utcnow
from .cases import Case, CaseEvent, Party, Referral
from .forwards import Forward
from .gateway_phones import GatewayPhone
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
    "GatewayPhone",
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
