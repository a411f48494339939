"""What the directory gathers from the apps built on it looks as before (issue 11).

The menus, the lab page's panels and the demo come from directory.registry, where liaisons
registers its parts; these pin what each role saw when the directory named them itself.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from directory import registry
from directory.context_processors import navigation
from directory.demo import seed_directory
from liaisons.demo import seed_liaisons
from quality_roles.demo import seed_quality_roles

MENUS = {
    "person": [
        "directory:my_profile",
        "access_audit:right_list",
        "access_audit:request_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
    "lab_staff": [
        "directory:lab_list",
        "directory:person_list",
        "liaisons:application_list",
        "liaisons:qualification_list",
        "access_audit:right_list",
        "access_audit:request_list",
        "access_audit:campaign_list",
        "access_audit:evidence_run_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
    "branch_reviewer": [
        "directory:branch_list",
        "directory:lab_list",
        "directory:person_list",
        "liaisons:application_list",
        "liaisons:qualification_list",
        "liaisons:evaluable_list",
        "liaisons:change_request_list",
        "access_audit:right_list",
        "access_audit:request_list",
        "access_audit:campaign_list",
        "access_audit:evidence_run_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
    "training_admin": [
        "directory:branch_list",
        "directory:lab_list",
        "directory:person_list",
        "liaisons:application_list",
        "liaisons:qualification_list",
        "liaisons:training_session_list",
        "liaisons:evaluation_overview",
        "liaisons:change_request_list",
        "liaisons:legacy_list",
        "access_audit:right_list",
        "access_audit:request_list",
        "access_audit:campaign_list",
        "access_audit:enforcement_run_list",
        "access_audit:evidence_run_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
    "quality_tech_officer": [
        "directory:branch_list",
        "directory:lab_list",
        "directory:person_list",
        "liaisons:qualification_list",
        "access_audit:right_list",
        "access_audit:request_list",
        "access_audit:campaign_list",
        "access_audit:enforcement_run_list",
        "access_audit:evidence_run_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
    "general_business_officer": [
        "directory:branch_list",
        "directory:lab_list",
        "directory:person_list",
        "liaisons:qualification_list",
        "liaisons:evaluable_list",
        "access_audit:right_list",
        "access_audit:request_list",
        "access_audit:campaign_list",
        "access_audit:enforcement_run_list",
        "access_audit:evidence_run_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
    "department_evaluator": [
        "directory:lab_list",
        "directory:person_list",
        "liaisons:qualification_list",
        "liaisons:evaluable_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
    # Their quality roles' pages come from quality_roles (issue 13).
    **{
        role: [
            "directory:body_list",
            "directory:person_list",
            "quality_roles:body_list",
            "quality_roles:project_list",
            "quality_roles:certificate_list",
            "quality_roles:advice_list",
            "quality_roles:cases_list",
            "quality_roles:assessments_list",
            "quality_roles:assessment_results",
            "liaisons:roster",
        ]
        for role in (
            "body_admin",
            "quality_director",
            "project_quality_lead",
            "regulator_inspector",
        )
    },
    # Not the training centre's own pages: they answer 403 to a superuser (issue 10).
    "superuser": [
        "directory:branch_list",
        "directory:lab_list",
        "directory:person_list",
        "directory:body_list",
        "liaisons:application_list",
        "liaisons:qualification_list",
        "liaisons:change_request_list",
        "liaisons:legacy_list",
        "access_audit:right_list",
        "access_audit:request_list",
        "access_audit:campaign_list",
        "access_audit:enforcement_run_list",
        "access_audit:evidence_run_list",
        "quality_roles:body_list",
        "quality_roles:project_list",
        "quality_roles:certificate_list",
        "quality_roles:advice_list",
        "quality_roles:cases_list",
        "quality_roles:assessments_list",
        "quality_roles:assessment_results",
        "liaisons:roster",
    ],
}


class _User:
    is_authenticated = True

    def __init__(self, role, is_superuser=False):
        self.role, self.is_superuser = role, is_superuser


def _menu(user):
    request = RequestFactory().get("/")
    request.user = user
    return [link["name"] for link in navigation(request)["nav_links"]]


@pytest.mark.parametrize("role", sorted(MENUS))
def test_each_role_sees_the_menu_it_saw(role):
    # issue 11: the directory's own links, then those liaisons registers, in the same order.
    user = _User("", True) if role == "superuser" else _User(role)
    assert _menu(user) == ["dashboard", *MENUS[role]]


def test_a_visitor_sees_the_public_roster_alone():
    # rule L-11, issue 11; rule Q-13: the directors' published assessment results too
    assert _menu(AnonymousUser()) == ["quality_roles:assessment_results", "liaisons:roster"]


def test_the_demo_builders_run_the_directory_first():
    # issue 11: seed_demo runs each app's demo in dependency order.
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    builders = registry.demo_builders()
    assert builders.index(seed_directory) < builders.index(seed_liaisons)
    assert builders.index(seed_liaisons) < builders.index(seed_quality_roles)


@pytest.mark.django_db
def test_a_panel_that_declines_is_not_shown(client, world):
    # issue 11: a registered panel returning None adds nothing to the lab's page.
    asked = []

    def declined(*, lab, user):
        asked.append((lab.pk, user.pk))
        return None

    registry.lab_panel("no/such/template.html", order=1)(declined)
    try:
        client.force_login(world.lab_a_staff)
        response = client.get(reverse("directory:lab_detail", args=[world.lab_a.pk]))
    finally:
        registry._LAB_PANELS[:] = [p for p in registry._LAB_PANELS if p[2] is not declined]
    assert response.status_code == 200
    assert asked == [(world.lab_a.pk, world.lab_a_staff.pk)]
    assert 'data-testid="coverage"' in response.content.decode()
