"""The demo of the login rights (A-01, A-02, A-06): built through the services, after the
liaisons' demo, idempotent."""

import pytest
from django.core.management import call_command
from django.utils.module_loading import autodiscover_modules

from access_audit.constants import RightRequestState
from access_audit.demo import seed_login_rights
from access_audit.models import LoginRight, LoginRightRequest, RightChange
from directory import registry
from directory.constants import Role
from directory.models import TestingLab, User
from liaisons.demo import seed_liaisons
from liaisons.selectors import counting_qualifications

pytestmark = pytest.mark.django_db


def test_the_demo_runs_after_the_liaisons_one():
    autodiscover_modules("demo")
    builders = registry.demo_builders()
    assert builders.index(seed_liaisons) < builders.index(seed_login_rights)


def test_the_demo_shows_accounts_of_every_kind_and_a_request_at_every_step(capsys):
    # rule A-01, rule A-02, rule A-06
    call_command("seed_demo")
    accounts = LoginRight.objects.select_related("person")
    qualified = set(counting_qualifications().values_list("person_id", flat=True))
    for lab in TestingLab.objects.all():
        of_lab = [a for a in accounts if a.lab_id == lab.pk]
        assert any(a.person_id is None for a in of_lab), lab.name  # one matching nobody
        assert any(a.person_id and a.person_id not in qualified for a in of_lab), lab.name
    assert any(a.person_id in qualified for a in accounts)  # hired liaisons' accounts
    states = set(LoginRightRequest.objects.values_list("state", flat=True))
    assert {
        RightRequestState.SUBMITTED,
        RightRequestState.ACCEPTED,
        RightRequestState.GRANTED,
        RightRequestState.REFUSED,
    } <= states
    granted = LoginRightRequest.objects.get(state=RightRequestState.GRANTED)
    assert granted.right.state == "active" and granted.right.person == granted.person
    again = LoginRightRequest.objects.get(state=RightRequestState.ACCEPTED)
    assert again.right is not None and again.right.state == "suspended"  # rule A-06
    assert set(User.objects.values_list("role", flat=True)) >= {
        Role.QUALITY_TECH_OFFICER,
        Role.GENERAL_BUSINESS_OFFICER,
    }
    counts = (
        LoginRight.objects.count(),
        LoginRightRequest.objects.count(),
        RightChange.objects.count(),
    )
    call_command("seed_demo")
    assert (
        LoginRight.objects.count(),
        LoginRightRequest.objects.count(),
        RightChange.objects.count(),
    ) == counts
    out = capsys.readouterr().out
    assert "qualitytech" in out and "generalbiz" in out
