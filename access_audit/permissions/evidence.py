"""Who sees what of an enforcement run's evidence (A-04, P-04), in one place.

The pack (the report, the full revocation list, the manifest) holds every lab's people: the
CQC-wide departments alone download and verify it (the general business dept hands the list
to the business system's operators; the training centre runs the campaign). A branch centre
gets its labs' rows of the revocation list, a lab its own, built from the same rows.
"""

from directory.constants import Role

from .campaigns import sees_campaigns, sees_every_entry


def sees_evidence_pack(user) -> bool:
    """The pack's files, their digests and the verification: the CQC-wide departments."""
    return sees_every_entry(user)


def sees_revocations(user) -> bool:
    """A run's revocation list, cut to the user's scope: labs, branch centres, CQC-wide."""
    return sees_campaigns(user)


def revocation_scope(user) -> dict:
    """The filter on a run's withdrawals (``RightChange``) that cuts them to ``user``'s scope;
    ``None`` for someone who sees none."""
    if sees_every_entry(user):
        return {}
    if not sees_campaigns(user):
        return None
    if user.role == Role.LAB_STAFF:
        return {"right__lab_id": user.lab_id}
    if user.role == Role.BRANCH_REVIEWER:
        return {"right__lab__branch_id": user.branch_id}
    return None
