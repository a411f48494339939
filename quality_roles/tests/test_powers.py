"""Q-08: the director's spot checks, rectification orders and measures take effect at once,
with no other approval; only the body's active director may use them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quality_roles.constants import (
    CertificateState,
    MeasureKind,
    MeasureState,
    ProjectState,
    RectificationState,
)
from quality_roles.services import powers

from .duties import duties  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _check(duties, actor=None):  # noqa: F811
    return powers.spot_check_record(
        body=duties.body,
        actor=actor or duties.director_user,
        project=duties.project,
        checked_on=timezone.localdate(),
        files_read="2026 年第 3 批型式试验报告",
        findings="抽样记录缺签字",
        issues_found=True,
    )


def test_q08_only_the_active_director_uses_the_powers(duties, world):  # noqa: F811
    refused = [
        duties.lead_user,
        duties.admin,
        duties.other_admin,
        duties.inspector,
        duties.other_director_user,
    ]
    for actor in refused:
        with pytest.raises(PermissionDenied, match="Q-08"):
            _check(duties, actor=actor)
        with pytest.raises(PermissionDenied, match="Q-08"):
            powers.director_measure_take(
                body=duties.body,
                actor=actor,
                kind=MeasureKind.PAUSE_PROJECT,
                project=duties.project,
                reason="抽查发现问题",
            )
    duties.project.refresh_from_db()
    assert duties.project.state == ProjectState.ACTIVE


def test_q08_a_rectification_order_runs_to_closure(duties):  # noqa: F811
    check = _check(duties)
    order = powers.rectification_order_issue(
        spot_check=check,
        actor=duties.director_user,
        problem="抽样记录缺签字",
        actions="补签并培训抽样人员",
        owner=duties.lead.staff,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert order.state == RectificationState.OPEN
    with pytest.raises(PermissionDenied, match="Q-08"):
        powers.rectification_order_report_done(order=order, actor=duties.admin, report="已整改")
    # The owner reports through their own account; the director checks.
    order = powers.rectification_order_report_done(
        order=order, actor=duties.lead_user, report="已补签"
    )
    assert order.state == RectificationState.CHECKING
    with pytest.raises(PermissionDenied, match="Q-08"):
        powers.rectification_order_check(
            order=order, actor=duties.lead_user, effective=True, check="有效"
        )
    order = powers.rectification_order_check(
        order=order, actor=duties.director_user, effective=False, check="仍有缺签"
    )
    assert order.state == RectificationState.OPEN
    order = powers.rectification_order_report_done(
        order=order, actor=duties.director_user, report="全部补签"
    )
    order = powers.rectification_order_check(
        order=order, actor=duties.director_user, effective=True, check="复查有效"
    )
    assert order.state == RectificationState.CLOSED and order.closed_at is not None


def test_q08_measures_take_effect_at_once_and_show_on_what_they_concern(duties):  # noqa: F811
    paused = powers.director_measure_take(
        body=duties.body,
        actor=duties.director_user,
        kind=MeasureKind.PAUSE_PROJECT,
        project=duties.project,
        reason="抽查发现系统性问题",
    )
    suspended = powers.director_measure_take(
        body=duties.body,
        actor=duties.director_user,
        kind=MeasureKind.SUSPEND_CERTIFICATE,
        certificate=duties.certificate,
        reason="获证产品发生重大质量事故",
    )
    activities = powers.director_measure_take(
        body=duties.body,
        actor=duties.director_user,
        kind=MeasureKind.SUSPEND_ACTIVITIES,
        scope="家用电器类新申请受理",
        reason="专项整改",
    )
    duties.project.refresh_from_db()
    duties.certificate.refresh_from_db()
    # No approval step: in force the moment it is taken.
    assert paused.state == suspended.state == activities.state == MeasureState.IN_FORCE
    assert duties.project.state == ProjectState.PAUSED
    assert duties.certificate.state == CertificateState.SUSPENDED
    assert duties.certificate.state_reason == "获证产品发生重大质量事故"
    powers.director_measure_lift(measure=suspended, actor=duties.director_user, reason="整改完成")
    duties.certificate.refresh_from_db()
    assert duties.certificate.state == CertificateState.VALID


def test_q08_a_reason_is_required_and_limited(duties):  # noqa: F811
    for reason in ("", "因" * 1001):
        with pytest.raises(ValidationError):
            powers.director_measure_take(
                body=duties.body,
                actor=duties.director_user,
                kind=MeasureKind.PAUSE_PROJECT,
                project=duties.project,
                reason=reason,
            )


def test_q08_a_project_of_another_body_is_refused(duties, world):  # noqa: F811
    from .factories import CertificationProjectFactory

    foreign = CertificationProjectFactory(body=world.body_y)
    with pytest.raises(ValidationError):
        powers.director_measure_take(
            body=duties.body,
            actor=duties.director_user,
            kind=MeasureKind.PAUSE_PROJECT,
            project=foreign,
            reason="x",
        )
    foreign.refresh_from_db()
    assert foreign.state == ProjectState.ACTIVE
