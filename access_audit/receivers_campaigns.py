"""The check campaign keeps its entries current (A-03): it listens to what the liaison
capability announces (a hire, a departure, a suspension) and to the login rights' own
announcement (a grant, a suspension, a revocation)."""

from liaisons.signals import qualifications_changed

from .services.campaign_cases import campaign_entries_refresh
from .signals import rights_changed


def entries_follow_qualifications(sender, *, qualifications, **kwargs) -> None:
    """A-03: the people whose qualification changed are sorted again into their case."""
    campaign_entries_refresh(person_ids={q.person_id for q in qualifications})


def entries_follow_rights(sender, *, right_ids, **kwargs) -> None:
    """A-03: the accounts whose right changed (or that are new) are sorted again."""
    campaign_entries_refresh(right_ids=right_ids)


def connect() -> None:
    # After the login rights' own receiver (``receivers.connect``, called first in
    # ``AccessAuditConfig.ready``): the rights have followed the qualification when the
    # cases are computed.
    qualifications_changed.connect(
        entries_follow_qualifications, dispatch_uid="access_audit.entries_follow_qualifications"
    )
    rights_changed.connect(entries_follow_rights, dispatch_uid="access_audit.entries_follow_rights")
