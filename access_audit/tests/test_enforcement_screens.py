"""The deadline job's screens (A-04): the preview per lab and per branch for anyone
responsible, scoped (lab A never sees lab B), the runs, and the circuit breaker's confirmation
by the training centre only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from access_audit.constants import LoginRightState, RunKind, RunState
from access_audit.enforcement.run import deadlines_enforce
from access_audit.models import EnforcementRun, LoginRight
from access_audit.services.enforcement import enforcement_run_confirm
from access_audit.tests.enforcement_helpers import scene


def preview(client, user, campaign):
    client.force_login(user)
    return client.get(reverse("access_audit:enforcement_preview", args=[campaign.pk]))


def test_a04_preview_lab_a_sees_only_its_own_people(client, world):
    """A-04: the lab sees who of its own would lose the right; lab B's account is not there."""
    s = scene(world)
    page = preview(client, world.lab_a_staff, s.campaign).content.decode()
    assert s.unconfirmed.username in page and s.not_put_right.username in page
    assert s.other_lab.username not in page and s.confirmed.username not in page
    page = preview(client, world.lab_b_staff, s.campaign).content.decode()
    assert s.other_lab.username in page and s.unconfirmed.username not in page


def test_a04_preview_branch_sees_its_labs_and_training_centre_sees_all(client, world):
    s = scene(world)
    page = preview(client, world.branch_s_reviewer, s.campaign).content.decode()
    assert s.other_lab.username in page and s.unconfirmed.username not in page
    response = preview(client, world.training_admin, s.campaign)
    assert response.context["preview"].total == 4
    assert {row["n"] for row in response.context["preview"].per_branch} == {3, 1}


def test_a04_preview_is_the_dry_runs_count_and_changes_nothing(client, world):
    s = scene(world)
    response = preview(client, world.training_admin, s.campaign)
    (dry,) = [r for r in deadlines_enforce(at=s.ends, dry_run=True) if r.kind == "confirmation"]
    assert response.context["preview"].total == dry.counts["rights"]
    assert LoginRight.objects.filter(state=LoginRightState.REVOKED).count() == 0


def test_a04_preview_refuses_people_without_a_campaign_role(client, world):
    s = scene(world)
    assert preview(client, world.body_x_admin, s.campaign).status_code in (403, 404)


def held_run(world):
    """A scene where most active rights would go: the circuit breaker holds the run."""
    s = scene(world, extra_active=0)
    deadlines_enforce(at=s.ends)
    return s, EnforcementRun.objects.get(kind=RunKind.CONFIRMATION, dry_run=False)


def test_a04_circuit_breaker_holds_a_run_that_would_revoke_too_many(world):
    """A-04: 3 of 4 active rights (over 30 %) would go: the run stops HELD, nothing revoked,
    the campaign not enforced; the daily job leaves it held."""
    s, run = held_run(world)
    assert run.state == RunState.HELD and run.counts["would_take"] == 3
    assert LoginRight.objects.filter(state=LoginRightState.REVOKED).count() == 0
    deadlines_enforce(at=s.ends)
    run.refresh_from_db()
    assert run.state == RunState.HELD
    s.campaign.refresh_from_db()
    assert s.campaign.state == "open"


def test_a04_circuit_breaker_training_centre_confirms_and_the_run_goes_on(
    client, world, django_capture_on_commit_callbacks
):
    s, run = held_run(world)
    client.force_login(world.training_admin)
    url = reverse("access_audit:enforcement_run_detail", args=[run.pk])
    assert b"run-confirm" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("access_audit:enforcement_run_confirm", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.confirmed_by == world.training_admin
    assert LoginRight.objects.get(pk=s.unconfirmed.pk).state == LoginRightState.REVOKED
    s.campaign.refresh_from_db()
    assert s.campaign.state == "enforced"


@pytest.mark.parametrize("who", ["lab_a_staff", "branch_n_reviewer", "inspector"])
def test_a04_circuit_breaker_only_the_training_centre_confirms(client, world, who):
    _s, run = held_run(world)
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        enforcement_run_confirm(run=run, actor=user)
    client.force_login(user)
    response = client.post(reverse("access_audit:enforcement_run_confirm", args=[run.pk]))
    assert response.status_code in (403, 404)
    run.refresh_from_db()
    assert run.state == RunState.HELD


def test_runs_are_not_shown_to_labs(client, world):
    _s, run = held_run(world)
    client.force_login(world.lab_a_staff)
    assert client.get(reverse("access_audit:enforcement_run_list")).status_code == 403
    client.force_login(world.training_admin)
    page = client.get(reverse("access_audit:enforcement_run_list")).content.decode()
    assert reverse("access_audit:enforcement_run_detail", args=[run.pk]) in page
