"""Navigation by role: the links a signed-in user's menu shows.

The directory's own links first, then those the apps built on it register
(``directory.registry.menu_entry``, issue 11), in their order.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import registry
from .constants import BODY_ROLES, Role

_LABS = ("directory:lab_list", _("Testing labs"))
_BRANCHES = ("directory:branch_list", _("Branch centres"))
_PEOPLE = ("directory:person_list", _("People"))
_BODIES = ("directory:body_list", _("Certification bodies"))
_PROFILE = ("directory:my_profile", _("My data"))

_CQC_DIRECTORY = (_BRANCHES, _LABS, _PEOPLE)

NAVIGATION: dict[str, tuple] = {
    Role.PERSON: (_PROFILE,),
    Role.LAB_STAFF: (_LABS, _PEOPLE),
    Role.BRANCH_REVIEWER: _CQC_DIRECTORY,
    Role.TRAINING_ADMIN: _CQC_DIRECTORY,
    Role.QUALITY_TECH_OFFICER: _CQC_DIRECTORY,
    Role.GENERAL_BUSINESS_OFFICER: _CQC_DIRECTORY,
    Role.DEPARTMENT_EVALUATOR: (_LABS, _PEOPLE),
    Role.REGULATOR_INSPECTOR: (_BODIES, _PEOPLE),
    **{role: (_BODIES, _PEOPLE) for role in BODY_ROLES},
}
_SUPERUSER = (_BRANCHES, _LABS, _PEOPLE, _BODIES)


def _link(name, label):
    return {"url": reverse(name), "label": label, "name": name}


def navigation(request):
    user = getattr(request, "user", None)
    apps = [(entry.url_name, entry.label) for entry in registry.menu_entries(user)]
    if user is None or not user.is_authenticated:
        return {"nav_links": [_link(name, label) for name, label in apps]}
    own = _SUPERUSER if user.is_superuser else NAVIGATION.get(user.role, ())
    links = [_link("dashboard", _("Dashboard"))]
    links += [_link(name, label) for name, label in (*own, *apps)]
    return {"nav_links": links}
