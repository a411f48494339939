"""The liaison capability's dashboard cards: the queues each role must act on.

Each part of the capability appends its cards here.
"""

from django.urls import reverse  # noqa: F401
from django.utils.translation import gettext as _  # noqa: F401

from directory.constants import Role  # noqa: F401
from directory.dashboard import Card, card  # noqa: F401

# --- coverage (L-06) -----------------------------------------------------------------------


@card({Role.LAB_STAFF})
def lab_coverage(user):
    """Lab staff: the fields of their lab's scope that no active liaison covers."""
    from .selectors import coverage_gaps

    if user.lab_id is None:
        return None
    gaps = coverage_gaps(lab=user.lab)
    url = reverse("directory:lab_detail", args=[user.lab_id])
    return Card(
        title=_("Coverage of your lab"),
        items=[
            (_("Gap: %(field)s has no active liaison officer") % {"field": f}, url) for f in gaps
        ],
        count=len(gaps),
        url=url,
        empty_text=_("Every field of your business scope is covered."),
        priority=20,
    )


@card({Role.BRANCH_REVIEWER, Role.TRAINING_ADMIN})
def labs_with_coverage_gaps(user):
    """Branch reviewers (their labs) and the training centre (every lab): labs with a
    coverage gap now, with the fields uncovered."""
    from directory.constants import CertificationFieldCode
    from directory.selectors import lab_list

    from .selectors import labs_coverage_gaps, labs_with_gaps

    labs = labs_with_gaps(labs=lab_list(user=user)).select_related(None).only("id", "name")
    shown = list(labs.order_by("name", "id")[:10])
    # The fields come from the same computation that chose the labs (issue 10).
    gaps = labs_coverage_gaps(lab_ids=[lab.pk for lab in shown])
    items = []
    for lab in shown:
        fields = ", ".join(str(CertificationFieldCode(code).label) for code in gaps[lab.pk])
        items.append((f"{lab.name}: {fields}", reverse("directory:lab_detail", args=[lab.pk])))
    return Card(
        title=_("Labs with coverage gaps"),
        items=items,
        count=labs.count(),
        url=reverse("directory:lab_list"),
        empty_text=_("Every lab's business scope is covered."),
        priority=20,
    )


# --- entry training (L-09) and continuous evaluation (L-10) --------------------------------


@card({Role.TRAINING_ADMIN}, superuser=False)
def upcoming_training_sessions(user):
    """The training centre: entry-training sessions not yet over, soonest first."""
    from .selectors_training import upcoming_training_sessions as upcoming

    sessions = upcoming(user=user)
    return Card(
        title=_("Training sessions"),
        items=[
            (
                f"{session.starts_on:%Y-%m-%d} {session.title} ({session.enrolled_count})",
                reverse("liaisons:training_session_detail", args=[session.pk]),
            )
            for session in sessions[:5]
        ],
        count=sessions.count(),
        url=reverse("liaisons:training_session_list"),
        empty_text=_("No session is planned."),
        priority=30,
    )


@card({Role.TRAINING_ADMIN}, superuser=False)
def liaisons_with_poor_evaluations(user):
    """The training centre: qualifications with a poor rating and no decision since (L-10)."""
    from .selectors_evaluations import qualifications_awaiting_decision

    awaiting = qualifications_awaiting_decision(user=user)
    return Card(
        title=_("Liaisons with poor evaluations"),
        items=[
            (
                f"{q.person.name} · {q.lab.name}",
                reverse("liaisons:qualification_evaluations", args=[q.pk]),
            )
            for q in awaiting.order_by("person__name", "id")[:5]
        ],
        count=awaiting.count(),
        url=reverse("liaisons:evaluation_overview") + "?show=awaiting",
        empty_text=_("No poor rating awaits a decision."),
        priority=25,
    )


@card({Role.DEPARTMENT_EVALUATOR}, superuser=False)
def liaisons_you_evaluate(user):
    """Department evaluators: the liaisons of the labs they were given to evaluate (L-10)."""
    from .selectors_evaluations import evaluable_qualifications

    qualifications = evaluable_qualifications(user=user).prefetch_related(None)
    return Card(
        title=_("Liaisons you evaluate"),
        items=[
            (
                f"{q.person.name} · {q.lab.name}",
                reverse("liaisons:evaluation_create", args=[q.pk]),
            )
            for q in qualifications.order_by("lab__name", "person__name", "id")[:5]
        ],
        count=qualifications.count(),
        url=reverse("liaisons:evaluable_list"),
        empty_text=_("No liaison to evaluate."),
        priority=40,
    )


# --- applications (L-07) ---------------------------------------------------------------------


def _application_card(user, *, title, states, empty_text, priority) -> Card:
    """The user's applications in ``states``: how many, and links to the first ten."""
    from .selectors import application_list

    applications = application_list(user=user).filter(state__in=states)
    first = applications.order_by("submitted_at", "created_at", "id")[:10]
    list_url = reverse("liaisons:application_list")
    return Card(
        title=title,
        items=[
            (
                f"{a.applicant_name} · {a.lab.name} · {a.get_state_display()}",
                reverse("liaisons:application_detail", args=[a.pk]),
            )
            for a in first
        ],
        count=applications.count(),
        url=list_url + "?" + "&".join(f"state={s}" for s in states),
        empty_text=empty_text,
        priority=priority,
    )


@card({Role.LAB_STAFF})
def applications_to_finish(user):
    """Lab staff: drafts and returned applications of their lab."""
    from .constants import LAB_STATES

    return _application_card(
        user,
        title=_("Applications to finish"),
        states=list(LAB_STATES),
        empty_text=_("No application waits for your lab."),
        priority=30,
    )


@card({Role.BRANCH_REVIEWER})
def applications_to_check(user):
    """Branch reviewers: submitted applications of their labs and those being checked."""
    from .constants import BRANCH_STATES

    return _application_card(
        user,
        title=_("Applications to check"),
        states=list(BRANCH_STATES),
        empty_text=_("No application waits for your check."),
        priority=30,
    )


@card({Role.TRAINING_ADMIN})
def applications_to_decide(user):
    """The training centre: applications passed on by the branch centres."""
    from .constants import DECISION_STATES

    return _application_card(
        user,
        title=_("Applications to decide"),
        states=list(DECISION_STATES),
        empty_text=_("No application waits for a decision."),
        priority=30,
    )


# --- personal-data change requests (P-03) and legacy liaisons (L-13) ----------------------


def _change_request_card(user, *, title, state, empty_text) -> Card:
    """The user's change requests in ``state``, oldest first: they wait longest."""
    from .selectors import change_request_list

    waiting = change_request_list(user=user).filter(state=state)
    return Card(
        title=title,
        items=[
            (
                f"{r.person.name} · {r.get_tier_display()}",
                reverse("liaisons:change_request_detail", args=[r.pk]),
            )
            for r in waiting.order_by("requested_at", "id")[:10]
        ],
        count=waiting.count(),
        url=reverse("liaisons:change_request_list") + f"?state={state}",
        empty_text=empty_text,
        priority=35,
    )


@card({Role.BRANCH_REVIEWER})
def change_requests_to_check(user):
    """Branch reviewers: requests routed to their branch centre, not yet forwarded."""
    from .constants import ChangeRequestState

    return _change_request_card(
        user,
        title=_("Change requests to check"),
        state=ChangeRequestState.SUBMITTED,
        empty_text=_("No change request waits for your check."),
    )


@card({Role.TRAINING_ADMIN})
def change_requests_to_approve(user):
    """The training centre: requests forwarded by the branch centres."""
    from .constants import ChangeRequestState

    return _change_request_card(
        user,
        title=_("Change requests to approve"),
        state=ChangeRequestState.FORWARDED,
        empty_text=_("No change request waits for your approval."),
    )


@card({Role.PERSON})
def my_change_requests(user):
    """A person: their open requests, and where to make one (P-03)."""
    from directory.selectors import own_person

    from .selectors import change_request_list
    from .services.changes import OPEN_STATES

    if own_person(user=user) is None:
        return None
    open_requests = change_request_list(user=user).filter(state__in=OPEN_STATES)
    return Card(
        title=_("Changes of my data"),
        items=[
            (
                f"{r.get_tier_display()} · {r.get_state_display()}",
                reverse("liaisons:change_request_detail", args=[r.pk]),
            )
            for r in open_requests[:5]
        ],
        count=open_requests.count(),
        actions=[
            (
                _("Request a change of name, education or qualification"),
                reverse("liaisons:change_request_create"),
            )
        ],
        url=reverse("liaisons:change_request_list"),
        priority=15,
    )


@card({Role.LAB_STAFF}, superuser=False)
def lab_change_requests(user):
    """Lab staff: their people's open change requests, and where to make one (P-03)."""
    from .selectors import change_request_list
    from .services.changes import OPEN_STATES

    open_requests = change_request_list(user=user).filter(state__in=OPEN_STATES)
    return Card(
        title=_("Change requests of your lab"),
        items=[
            (
                f"{r.person.name} · {r.get_tier_display()} · {r.get_state_display()}",
                reverse("liaisons:change_request_detail", args=[r.pk]),
            )
            for r in open_requests.order_by("requested_at", "id")[:5]
        ],
        actions=[
            (_("Request a change of a person's data"), reverse("liaisons:change_request_create"))
        ],
        count=open_requests.count(),
        url=reverse("liaisons:change_request_list"),
        priority=45,
    )


@card({Role.LAB_STAFF})
def legacy_liaisons_to_migrate(user):
    """Lab staff: their lab's legacy liaisons still to hire through the system (L-13)."""
    from .selectors import qualification_list

    waiting = qualification_list(user=user).to_migrate()
    count = waiting.count()
    if not count:
        return None
    # The liaisons themselves, not a bare count: each to hire again through the system.
    first = waiting.select_related("person", "lab").order_by("person__name", "id")[:10]
    return Card(
        title=_("Legacy liaisons to migrate"),
        items=[
            (
                f"{q.person.name} · {q.lab.name}",
                reverse("liaisons:qualification_detail", args=[q.pk]),
            )
            for q in first
        ],
        count=count,
        url=reverse("liaisons:legacy_list") + "?needs_migration=1",
        priority=25,
    )


# --- the liaison's own qualification (L-07, issue 10) -----------------------------------------


@card({Role.PERSON}, superuser=False)
def my_qualifications(user):
    """A hired liaison: their qualifications, each with its hire notice."""
    from .selectors import qualification_list

    # Their own, whatever else the selector lets the account see.
    own = qualification_list(user=user).filter(person__user=user)
    qualifications = list(own.select_related(None).select_related("lab").order_by("-id"))
    if not qualifications:
        return None
    items, notices = [], []
    for q in qualifications[:10]:
        url = reverse("liaisons:qualification_detail", args=[q.pk])
        items.append((f"{q.lab.name} · {q.get_state_display()} · {q.hired_on:%Y-%m-%d}", url))
        if q.application_id is not None:  # one hired on paper has no notice (L-13)
            notice = reverse("liaisons:qualification_hire_notice", args=[q.pk])
            notices.append((_("Hire notice: %(lab)s (PDF)") % {"lab": q.lab.name}, notice))
    return Card(
        title=_("My liaison qualification"),
        items=items,
        count=len(qualifications),
        actions=notices,
        url=reverse("liaisons:qualification_list"),
        priority=12,
    )
