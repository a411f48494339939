"""The directory's dashboard cards: what each role looks after."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .constants import BODY_ROLES, CQC_WIDE_ROLES, SELF_MAINTAINED_FIELDS, Role
from .dashboard import Card, card
from .models import Person


@card({Role.PERSON})
def my_data(user):
    person = selectors.own_person(user=user)
    if person is None:
        return None
    missing = [
        str(Person._meta.get_field(f).verbose_name)
        for f in SELF_MAINTAINED_FIELDS
        if not getattr(person, f)
    ]
    return Card(
        title=_("My data"),
        items=[(_("Please fill in: %(field)s") % {"field": name}, "") for name in missing],
        count=len(missing),
        url=reverse("directory:my_profile"),
        empty_text=_("Your contact data is complete."),
        priority=10,
    )


@card({Role.LAB_STAFF, Role.DEPARTMENT_EVALUATOR, Role.BRANCH_REVIEWER, *CQC_WIDE_ROLES})
def labs(user):
    labs = selectors.lab_list(user=user)
    titles = {
        Role.LAB_STAFF: _("Your testing lab"),
        Role.BRANCH_REVIEWER: _("Testing labs of your branch centre"),
        Role.DEPARTMENT_EVALUATOR: _("Testing labs you evaluate"),
    }
    return Card(
        title=titles.get(user.role, _("Testing labs")),
        items=[(lab.name, reverse("directory:lab_detail", args=[lab.pk])) for lab in labs[:10]],
        count=labs.count(),
        url=reverse("directory:lab_list"),
        empty_text=_("No testing lab."),
        priority=50,
    )


@card(
    {
        Role.LAB_STAFF,
        Role.BRANCH_REVIEWER,
        Role.DEPARTMENT_EVALUATOR,
        *CQC_WIDE_ROLES,
        *BODY_ROLES,
        Role.REGULATOR_INSPECTOR,
    }
)
def people(user):
    people = selectors.person_list(user=user)
    without_account = people.filter(user__isnull=True).count()
    note = ""
    if without_account:
        note = _("%(count)d without a portal account") % {"count": without_account}
    # A summary, not a list: the count is of everyone, the list page shows them.
    return Card(
        title=_("People"),
        note=note,
        count=people.count(),
        url=reverse("directory:person_list"),
        priority=60,
    )


@card({*BODY_ROLES, Role.REGULATOR_INSPECTOR})
def bodies(user):
    bodies = selectors.body_list(user=user)
    return Card(
        title=_("Your certification body")
        if user.role in BODY_ROLES
        else _("Certification bodies"),
        items=[(b.name, reverse("directory:body_detail", args=[b.pk])) for b in bodies[:10]],
        count=bodies.count(),
        url=reverse("directory:body_list"),
        empty_text=_("No certification body."),
        priority=50,
    )
