"""What the access audit does when the liaison capability announces a change (issue 11)."""

from liaisons.signals import qualifications_changed

from .services.rights import login_rights_follow_qualifications


def rights_follow_qualifications(sender, *, qualifications, actor, **kwargs) -> None:
    """A-01: each person whose qualification changed keeps an active login right only while
    they hold an active qualification; otherwise it is suspended at once. A person with an
    active one among those announced (a hire, a transfer's new qualification, a
    reinstatement) holds one: nothing to look up, and nothing comes back by itself."""
    holding = {
        q.person_id
        for q in qualifications
        # What ``LiaisonQualification.objects.counting()`` counts (L-13).
        if q.counts_as_hired
    }
    looked_at = set()
    for qualification in qualifications:
        person_id = qualification.person_id
        if person_id in holding or person_id in looked_at:
            continue
        looked_at.add(person_id)
        login_rights_follow_qualifications(
            person=qualification.person, actor=actor, reason=qualification.state_reason
        )


def connect() -> None:
    qualifications_changed.connect(
        rights_follow_qualifications, dispatch_uid="access_audit.rights_follow_qualifications"
    )
