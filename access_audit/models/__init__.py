"""The access audit's records: business-system accounts and their login rights, the requests
for one, the check campaign, its enforcement runs and the business system's feed."""

from .campaigns import AuditCampaign, CampaignEntry, CampaignReminderSent
from .evidence import EnforcementNoticeSent
from .feed import FeedClient, RightChange
from .requests import LoginRightRequest
from .rights import LoginRight
from .runs import EnforcementRun, EvidenceFile

__all__ = [
    "AuditCampaign",
    "CampaignEntry",
    "CampaignReminderSent",
    "EnforcementNoticeSent",
    "EnforcementRun",
    "EvidenceFile",
    "FeedClient",
    "LoginRight",
    "LoginRightRequest",
    "RightChange",
]
