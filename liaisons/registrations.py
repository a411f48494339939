"""The liaison capability's menu entries and its parts of the directory's lab pages (issue 11).

Registered from ``LiaisonsConfig.ready()`` with ``directory.registry``: the directory shows
them without knowing this app.
"""

from django.utils.translation import gettext_lazy as _

from directory import registry
from directory.constants import Role

from . import selectors

R = Role
_STAFF = {R.LAB_STAFF, R.BRANCH_REVIEWER, R.TRAINING_ADMIN}
_EVALUATORS = {R.BRANCH_REVIEWER, R.GENERAL_BUSINESS_OFFICER, R.DEPARTMENT_EVALUATOR}
_READERS = {*_STAFF, R.QUALITY_TECH_OFFICER, R.GENERAL_BUSINESS_OFFICER, R.DEPARTMENT_EVALUATOR}


def register() -> None:
    entry = registry.menu_entry
    entry("liaisons:application_list", _("Applications"), roles=_STAFF, position=10)
    entry("liaisons:qualification_list", _("Liaisons"), roles=_READERS, position=20)
    # The training centre's own pages answer 403 to anyone else, a superuser included.
    entry(
        "liaisons:training_session_list",
        _("Training"),
        roles={R.TRAINING_ADMIN},
        position=30,
        superuser=False,
    )
    entry(
        "liaisons:evaluation_overview",
        _("Evaluations"),
        roles={R.TRAINING_ADMIN},
        position=40,
        superuser=False,
    )
    entry(
        "liaisons:evaluable_list", _("Evaluations"), roles=_EVALUATORS, position=40, superuser=False
    )
    entry(
        "liaisons:change_request_list",
        _("Change requests"),
        roles={R.BRANCH_REVIEWER, R.TRAINING_ADMIN},
        position=50,
    )
    entry("liaisons:legacy_list", _("Legacy liaisons"), roles={R.TRAINING_ADMIN}, position=60)
    # The public roster (L-11): in every menu and for visitors who are not signed in.
    entry("liaisons:roster", _("Roster"), roles=None, position=100, public=True)
    registry.lab_panel("liaisons/qualifications/_coverage.html", order=10)(coverage_panel)
    registry.lab_scope_marker(coverage_gap_marks)


def coverage_panel(*, lab, user) -> dict:
    """The lab page's coverage of its business scope by liaison officers (L-06)."""
    return {"lab": lab}


def coverage_gap_marks(lab_ids: list[int]) -> dict[int, dict[str, registry.ScopeMark]]:
    """The lab list's marks on each field of a lab's scope with no active liaison (L-06); one
    query for the page, from the selector every reader uses."""
    gap = registry.ScopeMark(
        label=_("gap"), title=_("Gap: no active liaison officer"), testid="coverage-gap"
    )
    return {
        lab_id: dict.fromkeys(codes, gap)
        for lab_id, codes in selectors.labs_coverage_gaps(lab_ids=lab_ids).items()
    }
