"""Screens of the liaison capability: continuous evaluation (L-10).

Evaluations are recorded by the departments and branch centres that work with a liaison; the
training centre sees them aggregated per qualification and decides to keep, suspend or revoke.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from cqcportal.timeline import timeline_for
from directory.selectors import get_in_scope_or_404

from .. import permissions, selectors, selectors_evaluations
from ..constants import CURRENT_QUALIFICATION_STATES
from ..forms import add_service_error
from ..forms_training import EvaluationDecisionForm, EvaluationForm
from ..models import LiaisonQualification
from ..services import evaluations as evaluation_services
from .training import TrainingCentreOnlyMixin, may_hold_id_number


class EvaluationOverviewView(TrainingCentreOnlyMixin, ListView):
    """The training centre's aggregate: per qualification, evaluations by rating, the latest
    one, the latest decision, and the decision form (L-10). One query per page."""

    template_name = "liaisons/training/evaluation_overview.html"
    paginate_by = 50
    context_object_name = "qualifications"

    # Lazy: a class attribute is made once, at import, in whatever language is active then;
    # plain gettext left the options in that language on every page (issue 10).
    SHOW_CHOICES = (
        ("evaluated", gettext_lazy("Liaisons with evaluations")),
        ("awaiting", gettext_lazy("Poor rating awaiting a decision")),
        ("all", gettext_lazy("All liaisons")),
    )

    def _show(self) -> str:
        show = self.request.GET.get("show", "evaluated")
        return show if show in dict(self.SHOW_CHOICES) else "evaluated"

    def get_queryset(self):
        qualifications = selectors_evaluations.evaluation_overview(user=self.request.user)
        show = self._show()
        if show == "evaluated":
            qualifications = qualifications.filter(evaluation_count__gt=0)
        elif show == "awaiting":
            qualifications = qualifications.filter(
                awaits_decision=True,
                state__in=sorted(CURRENT_QUALIFICATION_STATES),
            )
        query = self.request.GET.get("q", "").strip()
        if query and not may_hold_id_number(query):
            qualifications = qualifications.filter(person__name__icontains=query)
        return qualifications

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            show=self._show(),
            show_choices=[(value, str(label)) for value, label in self.SHOW_CHOICES],
            query=self.request.GET.get("q", "").strip(),
            decision_form=EvaluationDecisionForm(),
            current_states=sorted(CURRENT_QUALIFICATION_STATES),
        )
        return context


class EvaluableListView(LoginRequiredMixin, ListView):
    """The liaisons a department evaluator, branch reviewer or general business officer may
    evaluate (L-10)."""

    template_name = "liaisons/training/evaluable_list.html"
    paginate_by = 50
    context_object_name = "qualifications"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_evaluator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        qualifications = selectors_evaluations.evaluable_qualifications(user=self.request.user)
        query = self.request.GET.get("q", "").strip()
        if query and not may_hold_id_number(query):
            qualifications = qualifications.filter(person__name__icontains=query)
        return qualifications.order_by("lab__name", "person__name", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "").strip()
        return context


class QualificationScopedMixin(LoginRequiredMixin):
    """Views on one qualification named by ``qualification_pk``: 404 outside the user's
    scope of qualifications, like every object URL; 403 when in scope but not allowed."""

    model = LiaisonQualification

    def get_qualification(self) -> LiaisonQualification:
        return get_in_scope_or_404(
            selectors.qualification_list(user=self.request.user).select_related(
                "person__lab", "lab__branch"
            ),
            self.kwargs["qualification_pk"],
        )


class EvaluationCreateView(QualificationScopedMixin, View):
    """Record one evaluation of a liaison (L-10)."""

    template_name = "liaisons/training/evaluation_form.html"

    def _allowed(self, request) -> LiaisonQualification:
        qualification = self.get_qualification()
        if not permissions.can_evaluate(request.user, qualification):
            raise PermissionDenied
        return qualification

    def _render(self, request, qualification, form, status=200):
        context = {
            "qualification": qualification,
            "form": form,
            "fields": list(qualification.fields.order_by("position")),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, qualification_pk):
        qualification = self._allowed(request)
        return self._render(request, qualification, EvaluationForm())

    def post(self, request, qualification_pk):
        qualification = self._allowed(request)
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                evaluation_services.evaluation_record(
                    qualification=qualification, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your evaluation of %(name)s has been recorded.")
                    % {"name": qualification.person.name},
                )
                return redirect("liaisons:evaluable_list")
        return self._render(request, qualification, form, status=400)


class QualificationEvaluationsView(QualificationScopedMixin, View):
    """The training centre's page of one qualification: every evaluation with who and when,
    the decisions, and the decision form (L-10)."""

    template_name = "liaisons/training/qualification_evaluations.html"

    def _allowed(self, request) -> LiaisonQualification:
        qualification = self.get_qualification()
        if not permissions.is_training_centre(request.user):
            raise PermissionDenied
        return qualification

    def _render(self, request, qualification, form, status=200):
        summary = (
            selectors_evaluations.evaluation_overview(user=request.user)
            .filter(pk=qualification.pk)
            .first()
        )
        context = {
            "qualification": qualification,
            "summary": summary,
            "evaluations": list(selectors_evaluations.evaluation_list(qualification=qualification)),
            "decisions": list(
                selectors_evaluations.evaluation_decision_list(qualification=qualification)
            ),
            "decision_form": form,
            "may_decide": qualification.state in CURRENT_QUALIFICATION_STATES,
            "fields": list(qualification.fields.order_by("position")),
            "timeline": timeline_for(qualification),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, qualification_pk):
        qualification = self._allowed(request)
        return self._render(request, qualification, EvaluationDecisionForm())


class EvaluationDecideView(QualificationEvaluationsView):
    """POST: keep, suspend or revoke the qualification, with a reason (L-10)."""

    http_method_names = ["post"]

    def post(self, request, qualification_pk):
        qualification = self._allowed(request)
        form = EvaluationDecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = evaluation_services.evaluation_decide(
                    qualification=qualification, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Decision recorded for %(name)s: %(decision)s.")
                    % {
                        "name": qualification.person.name,
                        "decision": decision.get_decision_display(),
                    },
                )
                return redirect(
                    "liaisons:qualification_evaluations", qualification_pk=qualification.pk
                )
        qualification.refresh_from_db()
        return self._render(request, qualification, form, status=400)


urlpatterns = [
    path("evaluations/", EvaluationOverviewView.as_view(), name="evaluation_overview"),
    path("evaluations/liaisons/", EvaluableListView.as_view(), name="evaluable_list"),
    path(
        "evaluations/new/<int:qualification_pk>/",
        EvaluationCreateView.as_view(),
        name="evaluation_create",
    ),
    path(
        "evaluations/<int:qualification_pk>/",
        QualificationEvaluationsView.as_view(),
        name="qualification_evaluations",
    ),
    path(
        "evaluations/<int:qualification_pk>/decide/",
        EvaluationDecideView.as_view(),
        name="evaluation_decide",
    ),
]
