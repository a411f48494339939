"""Demo data of advice, accountability and the regulator (Q-11, Q-12, Q-13) for the first
demo body, built through the services: advice the body rejected without a reason (the duty
done), a closed case against a lead (a warning, the permissions back), and two published
assessments of the director, the failed one with its rectification reported done. Called
by ``demo.seed_quality_roles``; idempotent."""

import datetime

from django.utils import timezone

from directory.models import CertificationBody, User

from .constants import AccountabilityMeasureKind, AdviceAnswer, AssessmentResult
from .models import BodyStaff, DirectorAdvice
from .selectors import active_director
from .services import accountability, advice, assessments


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def seed_oversight(body: CertificationBody) -> None:
    director = active_director(body)
    if director is None or DirectorAdvice.objects.filter(body=body).exists():
        return
    admin = User.objects.get(username="body.admin")
    director_account = User.objects.get(username="director")
    inspector = User.objects.filter(role="regulator_inspector").order_by("pk").first()
    given = advice.advice_give(
        body=body,
        actor=director_account,
        subject="对照明产品项目增加工厂检查见证检验",
        text="近期照明产品抽查发现标识不符问题，建议对 CQC-LT 项目的工厂检查增加见证检验。",
        given_on=_days_ago(12),
    )
    advice.advice_answer_record(
        advice=given,
        actor=admin,
        answer=AdviceAnswer.REJECTED,
        answered_on=_days_ago(8),
        answer_text="本季度不调整检查方案。",
    )
    lead = BodyStaff.objects.get(body=body, person__name="吴刚")
    case = accountability.accountability_case_open(
        body=body,
        staff=lead,
        actor=admin,
        ground="duty_not_performed",
        description="CQC-LT 项目两份检查报告未按时复核。",
    )
    accountability.accountability_case_investigate(
        case=case, actor=admin, investigation="属实，系工作量集中导致复核迟延，未造成后果。"
    )
    accountability.accountability_measure_decide(
        case=case, actor=admin, kind=AccountabilityMeasureKind.WARNING, detail="书面警告"
    )
    accountability.accountability_case_close(case=case, actor=admin, note="警告后恢复工作权限")
    if inspector is None:
        return
    passed = assessments.assessment_record(
        director=director,
        actor=inspector,
        result=AssessmentResult.PASSED,
        assessed_on=_days_ago(6),
        findings="履职记录完整。",
    )
    assessments.assessment_publish(assessment=passed, actor=inspector)
    failed = assessments.assessment_record(
        director=director,
        actor=inspector,
        result=AssessmentResult.FAILED,
        assessed_on=_days_ago(2),
        findings="未按规定对认证项目开展抽查。",
        actions="制定年度抽查计划，本月内完成首轮抽查并报送记录。",
        deadline=_days_ago(-28),
    )
    assessments.assessment_publish(assessment=failed, actor=inspector)
    order = failed.rectification_orders.get()
    assessments.assessment_rectification_report(
        order=order, actor=director_account, report="已制定抽查计划并完成首轮抽查 3 个项目。"
    )
