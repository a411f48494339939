"""P-03 tiers (b) and (c): personal-data change requests, routed lab or person → branch centre
→ training centre, and applied only when the training centre approves.

Tier (a) (phone, e-mail, work unit, address) is not here: the person edits it at once
(``directory.services.person_update_self_maintained``).

Each transition service is one ``transition_locked``: it locks the request row, checks who
may act, calls the django-fsm transition (which records who, when and the comment), saves,
and e-mails whoever acts next after commit. Two people acting on one request at the same
moment: the second waits for the lock, then finds the state changed and is told so.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cqcportal.limits import clean_reason
from directory.constants import Education, PoliticalStatus
from directory.models import CertificationField, Person, TestingLab, User
from directory.services import IMPORTANT_FIELDS

from ..constants import ChangeRequestState, ChangeTier
from ..models import ChangeRequest, LiaisonQualification
from ..permissions import can_check_change, can_decide_change, can_request_change
from ..rules import business_scope, fields_outside_scope
from ..uploads import check_upload
from .coverage import coverage_refresh
from .transitions import transition_locked

#: What a request of each tier may change (P-03); anything else is refused.
CHANGEABLE_FIELDS: dict[str, tuple[str, ...]] = {
    ChangeTier.IMPORTANT: IMPORTANT_FIELDS,
    ChangeTier.QUALIFICATION: ("fields", "lab"),
}

#: Requests not yet decided: one of these per person and tier at a time.
OPEN_STATES = (ChangeRequestState.SUBMITTED, ChangeRequestState.FORWARDED)

_CHOICES = {"political_status": PoliticalStatus, "education": Education}


# --- helpers -------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this to this change request."))


def _locking() -> QuerySet[ChangeRequest]:
    """Requests locked for the rest of the transaction (their row only), with what the
    services read of them."""
    return ChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "person", "branch", "qualification__lab"
    )


def _allowed(actor: User, check) -> Callable[[ChangeRequest], None]:
    """The guard of a transition: the actor may take it on the locked request, or is
    refused (403)."""
    return lambda change_request: _require(check(actor, change_request))


def _notice(event: str) -> Callable[[ChangeRequest, str], None]:
    """What follows a transition: whoever acts next, or the requester, is told (P-03)."""
    return lambda change_request, _source: _notify(change_request, event)


def _current_qualification(person: Person) -> LiaisonQualification | None:
    """The qualification the person holds now: one lab at a time (active or suspended)."""
    return (
        LiaisonQualification.objects.current()
        .select_related("lab__branch")
        .filter(person=person)
        .first()
    )


def _field_codes(qualification: LiaisonQualification) -> list[str]:
    return list(qualification.fields.order_by("position").values_list("code", flat=True))


def _clean_important(person: Person, changes: dict) -> tuple[dict, dict]:
    """Tier (b): the values that really change, checked, and what they were."""
    cleaned, previous, errors = {}, {}, {}
    for field, value in changes.items():
        value = "" if value is None else value
        if not isinstance(value, str):
            errors[field] = _("Enter a text value.")
            continue
        value = value.strip()
        if field in _CHOICES and value not in _CHOICES[field].values:
            errors[field] = _("“%(value)s” is not one of the choices.") % {"value": value}
            continue
        max_length = Person._meta.get_field(field).max_length
        if len(value) > max_length:
            errors[field] = _("At most %(count)d characters.") % {"count": max_length}
            continue
        if field == "name" and not value:
            errors[field] = _("A name cannot be empty.")
            continue
        if getattr(person, field) != value:
            cleaned[field] = value
            previous[field] = getattr(person, field)
    if errors:
        raise ValidationError(errors, code="invalid_value")
    return cleaned, previous


def _target_scope_problems(codes: list[str], lab: TestingLab) -> list[str]:
    return fields_outside_scope(codes, business_scope(lab))  # L-05


def _clean_qualification(qualification: LiaisonQualification, changes: dict) -> tuple[dict, dict]:
    """Tier (c): fields held (within the lab's business scope) and the lab represented."""
    cleaned, previous, errors = {}, {}, {}
    current_codes = _field_codes(qualification)
    target_lab = qualification.lab
    if "lab" in changes and changes["lab"] not in (None, ""):
        try:
            lab_id = int(changes["lab"])
        except (TypeError, ValueError):
            lab_id = None
        lab = TestingLab.objects.filter(pk=lab_id, is_active=True).first() if lab_id else None
        if lab is None:
            errors["lab"] = _("Unknown or inactive testing lab.")
        elif lab.pk != qualification.lab_id:
            cleaned["lab"], previous["lab"] = lab.pk, qualification.lab_id
            target_lab = lab
    codes = current_codes
    if "fields" in changes and changes["fields"] is not None:
        given = changes["fields"]
        if isinstance(given, str) or not all(isinstance(c, str) for c in given):
            raise ValidationError(
                {"fields": _("Give a list of field codes.")}, code="invalid_value"
            )
        known = list(
            CertificationField.objects.filter(code__in=set(given))
            .order_by("position")
            .values_list("code", flat=True)
        )
        unknown = sorted(set(given) - set(known))
        if unknown:
            errors["fields"] = _("Unknown certification field: %(codes)s") % {
                "codes": ", ".join(unknown)
            }
        elif not known:
            errors["fields"] = _("A liaison holds at least one certification field.")
        else:
            codes = known
            if known != current_codes:
                cleaned["fields"], previous["fields"] = known, current_codes
    if "fields" not in errors and "lab" not in errors:
        outside = _target_scope_problems(codes, target_lab)
        if outside:
            errors["fields"] = _(
                "%(fields)s is not in the CQC business scope of %(lab)s (L-05, L-06)."
            ) % {"fields": ", ".join(outside), "lab": target_lab.name}
    if errors:
        raise ValidationError(errors, code="invalid_value")
    return cleaned, previous


def _notify(change_request: ChangeRequest, event: str) -> None:
    from ..tasks import send_change_request_notice

    pk = change_request.pk
    transaction.on_commit(lambda: send_change_request_notice.delay(pk, event))


# --- services ------------------------------------------------------------------------------


@transaction.atomic
def change_request_submit(
    *,
    person: Person,
    actor: User,
    tier: str,
    changes: dict,
    justification: str,
    qualification: LiaisonQualification | None = None,
    change_form: UploadedFile | None = None,
) -> ChangeRequest:
    """Request a change of important (b) or qualification (c) data at the branch centre of
    the person's lab (P-03); nothing changes until the training centre approves."""
    if tier not in CHANGEABLE_FIELDS:
        raise ValidationError({"tier": _("Unknown tier of personal data.")}, code="unknown_tier")
    # One open request per person and tier: lock the person so two requests queue up.
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("lab__branch")
        .get(pk=person.pk)
    )
    if tier == ChangeTier.QUALIFICATION:
        current = _current_qualification(person)
        if qualification is not None and (current is None or current.pk != qualification.pk):
            raise ValidationError(
                _("This qualification is not the one the person holds now."),
                code="not_current_qualification",
            )
        qualification = current
        if qualification is None:
            raise ValidationError(
                _("This person holds no liaison qualification to change (P-03)."),
                code="no_qualification",
            )
        lab = qualification.lab
    else:
        qualification = None
        lab = person.lab
    _require(can_request_change(actor, person=person, tier=tier, lab_id=lab.pk if lab else None))
    if lab is None:
        raise ValidationError(
            _("This person works for no testing lab, so no branch centre can take the request."),
            code="no_branch",
        )
    if not isinstance(changes, dict) or not changes:
        raise ValidationError(_("Name at least one change."), code="no_change")
    unknown = sorted(set(changes) - set(CHANGEABLE_FIELDS[tier]))
    if unknown:
        raise ValidationError(
            _("These data cannot be changed by this request: %(fields)s (P-03).")
            % {"fields": ", ".join(unknown)},
            code="unknown_field",
        )
    if tier == ChangeTier.IMPORTANT:
        cleaned, previous = _clean_important(person, changes)
    else:
        cleaned, previous = _clean_qualification(qualification, changes)
    if not cleaned:
        raise ValidationError(
            _("Nothing would change: the values given are the ones on record."), code="no_change"
        )
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError(
            {"justification": _("Say why the data must change.")}, code="justification_required"
        )
    if ChangeRequest.objects.filter(person=person, tier=tier, state__in=OPEN_STATES).exists():
        raise ValidationError(
            _(
                "This person already has an open request for this kind of data; wait for its "
                "decision."
            ),
            code="request_open",
        )
    change_request = ChangeRequest(
        person=person,
        qualification=qualification,
        branch=lab.branch,
        tier=tier,
        changes=cleaned,
        previous=previous,
        justification=justification,
        requested_by=actor,
    )
    if change_form is not None:
        checked = check_upload(change_form)
        change_request.change_form_content_type = checked.content_type
        # The stored name never carries the uploaded name (it may hold an ID number, P-04).
        change_request.change_form.save("upload", change_form, save=False)
    change_request.full_clean(exclude=["state"])
    change_request._history_user = actor
    change_request.save()
    _notify(change_request, "submitted")
    return change_request


@transaction.atomic
def change_request_forward(
    *, request: ChangeRequest, actor: User, comment: str = ""
) -> ChangeRequest:
    """The branch centre has checked the request and forwards it to the training centre."""
    return transition_locked(
        request,
        "forward",
        actor=actor,
        verb=_("forwarded"),
        locking=_locking(),
        guard=_allowed(actor, can_check_change),
        then=_notice("forwarded"),
        description=(comment or "").strip(),
    )


def _apply_important(change_request: ChangeRequest, *, actor: User, reason: str) -> None:
    person = Person.objects.select_for_update().get(pk=change_request.person_id)
    for field, value in change_request.changes.items():
        setattr(person, field, value)
    person.full_clean(exclude=["id_number"])
    person._history_user = actor
    person._change_reason = reason
    person.save(update_fields=list(change_request.changes))


def _apply_qualification(change_request: ChangeRequest, *, actor: User, reason: str) -> None:
    if change_request.qualification_id is None:
        raise ValidationError(_("This request names no qualification."), code="no_qualification")
    qualification = (
        LiaisonQualification.objects.select_for_update()
        .select_related("lab")
        .get(pk=change_request.qualification_id)
    )
    if not qualification.is_current:
        raise ValidationError(
            _(
                "The qualification is no longer held (it is “%(state)s”); reject this request "
                "instead."
            )
            % {"state": qualification.get_state_display()},
            code="qualification_gone",
        )
    changes = change_request.changes
    old_lab = qualification.lab
    new_lab = old_lab
    if "lab" in changes:
        new_lab = TestingLab.objects.filter(pk=changes["lab"], is_active=True).first()
        if new_lab is None:
            raise ValidationError(
                _("The testing lab asked for is no longer active; reject this request instead."),
                code="lab_gone",
            )
    codes = changes.get("fields") or _field_codes(qualification)
    # The lab's business scope may have changed since the request was made.
    outside = _target_scope_problems(codes, new_lab)
    if outside:
        raise ValidationError(
            _(
                "%(fields)s is no longer in the CQC business scope of %(lab)s; reject this "
                "request instead."
            )
            % {"fields": ", ".join(outside), "lab": new_lab.name},
            code="field_outside_scope",
        )
    qualification._history_user = actor
    qualification._change_reason = reason
    if new_lab.pk != old_lab.pk:
        qualification.lab = new_lab
        qualification.save(update_fields=["lab"])
        person = Person.objects.select_for_update().get(pk=qualification.person_id)
        if person.lab_id != new_lab.pk:
            person.lab = new_lab
            person._history_user = actor
            person._change_reason = reason
            person.save(update_fields=["lab"])
    if "fields" in changes:
        qualification.fields.set(codes)
    # L-06: the lab losing or gaining fields (or a liaison) may open or close a gap.
    coverage_refresh(lab=old_lab)
    if new_lab.pk != old_lab.pk:
        coverage_refresh(lab=new_lab)


@transaction.atomic
def change_request_approve(
    *, request: ChangeRequest, actor: User, comment: str = ""
) -> ChangeRequest:
    """The training centre approves: the change is applied now, in the same transaction, and
    the person's or qualification's history names the approver and the request (P-03)."""
    reason = _("Change request %(number)d approved (P-03).") % {"number": request.pk}

    def apply(change_request: ChangeRequest) -> None:
        if change_request.tier == ChangeTier.IMPORTANT:
            _apply_important(change_request, actor=actor, reason=reason)
        else:
            _apply_qualification(change_request, actor=actor, reason=reason)

    return transition_locked(
        request,
        "approve",
        actor=actor,
        verb=_("approved"),
        locking=_locking(),
        guard=_allowed(actor, can_decide_change),
        ready=apply,
        then=_notice("approved"),
        at=timezone.now(),
        description=(comment or "").strip(),
    )


@transaction.atomic
def change_request_reject(*, request: ChangeRequest, actor: User, reason: str) -> ChangeRequest:
    """The branch centre (before forwarding) or the training centre (after) rejects the
    request; a reason is required and nothing is changed."""
    reason = clean_reason(reason, field="reason")
    return transition_locked(
        request,
        "reject",
        actor=actor,
        verb=_("rejected"),
        locking=_locking(),
        guard=lambda change_request: _require_rejectable_by(actor, change_request),
        then=_notice("rejected"),
        reason=reason,
        at=timezone.now(),
        description=reason,
    )


def _require_rejectable_by(actor: User, change_request: ChangeRequest) -> None:
    """The branch centre rejects a request it has not forwarded yet, the training centre a
    forwarded one; told in words when the request is no longer where they may."""
    if can_check_change(actor, change_request):
        allowed_from = ChangeRequestState.SUBMITTED
    elif can_decide_change(actor, change_request):
        allowed_from = ChangeRequestState.FORWARDED
    else:
        raise PermissionDenied(_("You may not do this to this change request."))
    if change_request.state != allowed_from:
        raise ValidationError(
            _(
                "This change request cannot be rejected by you: it is now “%(state)s”. Someone "
                "may have acted on it a moment ago; reload the page to see its current state."
            )
            % {"state": change_request.get_state_display()},
            code="stale_state",
        )
