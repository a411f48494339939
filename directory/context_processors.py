"""Navigation by role: the links a signed-in user's menu shows."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import BODY_ROLES, Role

_LABS = ("directory:lab_list", _("Testing labs"))
_BRANCHES = ("directory:branch_list", _("Branch centres"))
_PEOPLE = ("directory:person_list", _("People"))
_BODIES = ("directory:body_list", _("Certification bodies"))
_PROFILE = ("directory:my_profile", _("My data"))
# The liaison capability (issue 3).
_APPLICATIONS = ("liaisons:application_list", _("Applications"))
_LIAISONS = ("liaisons:qualification_list", _("Liaisons"))
_TRAINING = ("liaisons:training_session_list", _("Training"))
_EVALUATION_OVERVIEW = ("liaisons:evaluation_overview", _("Evaluations"))
_EVALUATE = ("liaisons:evaluable_list", _("Evaluations"))
_CHANGES = ("liaisons:change_request_list", _("Change requests"))
_LEGACY = ("liaisons:legacy_list", _("Legacy liaisons"))
#: The public roster (L-11), in every menu and for visitors who are not signed in.
ROSTER = ("liaisons:roster", _("Roster"))

_CQC_DIRECTORY = (_BRANCHES, _LABS, _PEOPLE)

NAVIGATION: dict[str, tuple] = {
    Role.PERSON: (_PROFILE, ROSTER),
    Role.LAB_STAFF: (_LABS, _PEOPLE, _APPLICATIONS, _LIAISONS, ROSTER),
    Role.BRANCH_REVIEWER: (*_CQC_DIRECTORY, _APPLICATIONS, _LIAISONS, _EVALUATE, _CHANGES, ROSTER),
    Role.TRAINING_ADMIN: (
        *_CQC_DIRECTORY,
        _APPLICATIONS,
        _LIAISONS,
        _TRAINING,
        _EVALUATION_OVERVIEW,
        _CHANGES,
        _LEGACY,
        ROSTER,
    ),
    Role.QUALITY_TECH_OFFICER: (*_CQC_DIRECTORY, _LIAISONS, ROSTER),
    Role.GENERAL_BUSINESS_OFFICER: (*_CQC_DIRECTORY, _LIAISONS, _EVALUATE, ROSTER),
    Role.DEPARTMENT_EVALUATOR: (_LABS, _PEOPLE, _LIAISONS, _EVALUATE, ROSTER),
    Role.REGULATOR_INSPECTOR: (_BODIES, _PEOPLE, ROSTER),
    **{role: (_BODIES, _PEOPLE, ROSTER) for role in BODY_ROLES},
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        name, label = ROSTER
        return {"nav_links": [{"url": reverse(name), "label": label, "name": name}]}
    entries = NAVIGATION.get(user.role, ())
    if user.is_superuser:
        # Not the training centre's pages (entry training, evaluations): they are the training
        # centre's work and answer 403 to anyone else, a superuser included (issue 10).
        entries = (_BRANCHES, _LABS, _PEOPLE, _BODIES, _APPLICATIONS, _LIAISONS, _CHANGES)
        entries += (_LEGACY, ROSTER)
    links = [{"url": reverse("dashboard"), "label": _("Dashboard"), "name": "dashboard"}]
    links += [{"url": reverse(name), "label": label, "name": name} for name, label in entries]
    return {"nav_links": links}
