"""Filings of the director's details with the regulator (Q-06).

The appointment is filed before the director takes office (``director_appointment_file``);
afterwards any change of the details in ``DIRECTOR_DETAILS`` is due for filing 30 days after
the change. The services that change them call ``director_details_changed`` in their
transaction; the daily job also compares every active director's details with the last
filing, so a change made elsewhere (the person's own profile, the admin) is found the next
day, and flags what is late.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.history import history_bulk_create

from .. import permissions
from ..constants import (
    DIRECTOR_DETAILS,
    FILING_DAYS,
    REFERENCE_MAX_LENGTH,
    DirectorAppointmentState,
    FilingKind,
)
from ..models import BodyStaff, DirectorAppointment, Filing
from .common import limited, lock_body, not_in_future, require, today

#: The details of ``DIRECTOR_DETAILS`` held by the person's record (P-01); the rest are the
#: staff member's.
PERSON_DETAILS = ("name", "education", "major", "phone", "email")


def director_details(staff: BodyStaff) -> dict:
    """The details the body files about its director (Q-06), as they stand now."""
    return {
        name: getattr(staff.person if name in PERSON_DETAILS else staff, name)
        for name in DIRECTOR_DETAILS
    }


def filing_due_on(changed_on: datetime.date) -> datetime.date:
    """Q-06: within 30 days of the change; the day of the change is not counted."""
    return changed_on + datetime.timedelta(days=FILING_DAYS)


def _last_filing(appointment: DirectorAppointment) -> Filing | None:
    return Filing.objects.filter(appointment=appointment).order_by("-pk").first()


def _last_filed(appointment: DirectorAppointment) -> Filing | None:
    return (
        Filing.objects.filter(appointment=appointment, filed_on__isnull=False)
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def director_details_changed(
    *, appointment: DirectorAppointment, actor, changed_on: datetime.date
) -> Filing | None:
    """Q-06: after a change of the active director's details, the filing due for it.

    Nothing when the details are as last filed (or as the filing still due holds them). A
    change while a filing is due joins it: the 30 days run from the first unfiled change.
    """
    if appointment.state != DirectorAppointmentState.ACTIVE:
        return None
    staff = BodyStaff.objects.select_related("person").get(pk=appointment.staff_id)
    current = director_details(staff)
    last = _last_filing(appointment)
    if last is not None and last.details == current:
        return None
    filed = _last_filed(appointment)
    before = filed.details if filed is not None else {}
    changed = [name for name in DIRECTOR_DETAILS if before.get(name) != current.get(name)]
    due = Filing.objects.select_for_update().filter(appointment=appointment, filed_on__isnull=True)
    filing = due.first()
    if filing is None:
        filing = Filing(
            body_id=appointment.body_id,
            appointment=appointment,
            kind=FilingKind.CHANGE,
            changed_on=changed_on,
            due_on=filing_due_on(changed_on),
            created_by=actor,
        )
    filing.details = current
    filing.changed_fields = changed
    filing._history_user = actor
    filing.save()
    return filing


@transaction.atomic
def filing_record_filed(
    *, filing: Filing, actor, filed_on: datetime.date, reference: str = ""
) -> Filing:
    """Q-06: the body filed it with the regulator's approval system on ``filed_on``. What is
    recorded as filed is the director's details as they stand now."""
    lock_body(filing.body_id)
    filing = Filing.objects.select_for_update().select_related("appointment").get(pk=filing.pk)
    require(permissions.can_record_filing(actor, filing))
    if filing.filed_on is not None:
        raise ValidationError(
            _("This filing was recorded as filed on %(date)s.")
            % {"date": filing.filed_on.isoformat()},
            code="stale_state",
        )
    not_in_future(filed_on, field="filed_on")
    if filed_on < filing.changed_on:
        raise ValidationError(
            {"filed_on": _("A filing cannot be made before the change it files.")},
            code="filed_before_change",
        )
    staff = BodyStaff.objects.select_related("person").get(pk=filing.appointment.staff_id)
    filing.details = director_details(staff)
    filing.filed_on = filed_on
    filing.reference = limited(reference, field="reference", limit=REFERENCE_MAX_LENGTH)
    filing.filed_recorded_by = actor
    filing._history_user = actor
    filing.save()
    return filing


@transaction.atomic
def director_changes_detect(*, on: datetime.date | None = None) -> int:
    """Q-06: for every active director whose details differ from the last filing, the filing
    due for the change, dated ``on`` (the day it is found). Returns how many were opened or
    brought up to date."""
    on = on or today()
    found = 0
    active = DirectorAppointment.objects.filter(state=DirectorAppointmentState.ACTIVE)
    for appointment in active.select_related("staff__person").order_by("pk"):
        last = _last_filing(appointment)
        if last is not None and last.details == director_details(appointment.staff):
            continue
        lock_body(appointment.body_id)
        if director_details_changed(appointment=appointment, actor=None, changed_on=on):
            found += 1
    return found


@transaction.atomic
def filings_flag_late(*, on: datetime.date | None = None) -> int:
    """Q-06: flag every filing still due after its due date (once); returns how many.

    One UPDATE for the set and its history written in bulk (docs/decisions.md, STYLE.md's
    deadline jobs); run twice the same day it flags nothing the second time.
    """
    on = on or today()
    late = Filing.objects.filter(filed_on__isnull=True, due_on__lt=on, late_flagged_at__isnull=True)
    pks = list(late.select_for_update().values_list("pk", flat=True))
    if not pks:
        return 0
    now = timezone.now()
    Filing.objects.filter(pk__in=pks).update(late_flagged_at=now)
    history_bulk_create(
        list(Filing.objects.filter(pk__in=pks)),
        model=Filing,
        user=None,
        date=now,
        update=True,
        reason=_("Not filed within %(days)d days of the change (Q-06).") % {"days": FILING_DAYS},
    )
    return len(pks)
