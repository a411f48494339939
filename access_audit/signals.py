"""What the access audit announces inside itself: a login right changed.

The services that grant, suspend or revoke a right (``services/rights.py``, the deadline job)
send ``rights_changed`` once, inside their transaction, after their writes; the check campaign
listens and keeps the case of each open campaign's entries current (A-03). The sender need not
know the campaign, as liaisons need not know the login rights (issue 11).
"""

from collections.abc import Iterable

from django.dispatch import Signal

#: ``right_ids``: a tuple of the ``LoginRight`` primary keys created or changed.
rights_changed = Signal()


def announce_rights_changed(right_ids: Iterable[int]) -> None:
    """Tell the subscribers (the check campaign, A-03) that these rights changed."""
    right_ids = tuple(right_ids)
    if right_ids:
        rights_changed.send(sender="access_audit", right_ids=right_ids)


#: ``run_id``: an ``EnforcementRun`` that changed rights or qualifications (not a dry run) and
#: is done. Sent on commit by the deadline job (``access_audit/enforcement/``); the evidence
#: pack and the labs' notices (``access_audit/evidence/``) subscribe.
enforcement_run_finished = Signal()
