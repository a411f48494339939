"""Navigation by role: the links a signed-in user's menu shows."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import BODY_ROLES, CQC_WIDE_ROLES, Role

_LABS = ("directory:lab_list", _("Testing labs"))
_BRANCHES = ("directory:branch_list", _("Branch centres"))
_PEOPLE = ("directory:person_list", _("People"))
_BODIES = ("directory:body_list", _("Certification bodies"))
_PROFILE = ("directory:my_profile", _("My data"))
#: Liaison applications (L-07): the lab's own, the branch's review queue, the decision queue.
_APPLICATIONS = ("liaisons:application_list", _("Applications"))

NAVIGATION: dict[str, tuple] = {
    Role.PERSON: (_PROFILE,),
    Role.LAB_STAFF: (_LABS, _PEOPLE, _APPLICATIONS),
    Role.BRANCH_REVIEWER: (_BRANCHES, _LABS, _PEOPLE, _APPLICATIONS),
    Role.DEPARTMENT_EVALUATOR: (_LABS, _PEOPLE),
    Role.REGULATOR_INSPECTOR: (_BODIES, _PEOPLE),
    **{role: (_BRANCHES, _LABS, _PEOPLE) for role in CQC_WIDE_ROLES},
    **{role: (_BODIES, _PEOPLE) for role in BODY_ROLES},
    Role.TRAINING_ADMIN: (_BRANCHES, _LABS, _PEOPLE, _APPLICATIONS),
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    entries = NAVIGATION.get(user.role, ())
    if user.is_superuser:
        entries = (_BRANCHES, _LABS, _PEOPLE, _BODIES)
    links = [{"url": reverse("dashboard"), "label": _("Dashboard"), "name": "dashboard"}]
    links += [{"url": reverse(name), "label": label, "name": name} for name, label in entries]
    return {"nav_links": links}
