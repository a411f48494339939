"""What the liaison capability announces to the apps built on it (issue 11).

The apps above ``liaisons`` (``access_audit``) subscribe in their ``AppConfig.ready()``; this
app never imports them, so the dependency graph runs one way.
"""

from collections.abc import Iterable

from django.dispatch import Signal

from directory.models import User

from .models import LiaisonQualification

#: Sent once per service call, inside its transaction, after all of the service's writes:
#: ``qualifications`` (a tuple) are those whose state the service changed or that it
#: created (a hire), ``actor`` who did it. A receiver that raises undoes the whole service.
qualifications_changed = Signal()


def announce_qualifications_changed(
    qualifications: Iterable[LiaisonQualification], *, actor: User | None
) -> None:
    """Tell the subscribers (the login rights, A-01) that these qualifications changed."""
    qualifications = tuple(qualifications)
    if qualifications:
        qualifications_changed.send(
            sender=LiaisonQualification, qualifications=qualifications, actor=actor
        )
