"""Screens of the liaison capability: entry training (L-09) and continuous evaluation (L-10).

Training is the training centre's alone: its list and form answer 403 to anyone else, and a
session's pages 404 (the session is outside their scope). Evaluations are recorded by the
departments and branch centres that work with a liaison; the training centre sees them
aggregated per qualification and decides to keep, suspend or revoke.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from cqcportal.timeline import TimelineEntry, timeline_for
from directory.selectors import get_in_scope_or_404
from directory.views import ScopedDetailView

from .. import permissions, selectors, selectors_evaluations, selectors_training
from ..constants import CURRENT_QUALIFICATION_STATES, TrainingResult
from ..forms_training import (
    EnrolForm,
    EvaluationDecisionForm,
    EvaluationForm,
    TrainingResultForm,
    TrainingSessionForm,
)
from ..models import LiaisonQualification, TrainingEnrolment, TrainingSession
from ..services import evaluations as evaluation_services
from ..services import training as training_services


def _add_service_error(form, error: ValidationError) -> None:
    """A service's errors on the form: on their field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class TrainingCentreOnlyMixin(LoginRequiredMixin):
    """Pages without an object id that only the training centre uses: 403 for others."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_training_centre(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- entry training (L-09) ------------------------------------------------------------------


class TrainingSessionListView(TrainingCentreOnlyMixin, ListView):
    template_name = "liaisons/training/session_list.html"
    paginate_by = 50
    context_object_name = "sessions"

    def get_queryset(self):
        return selectors_training.training_session_list(user=self.request.user)


class TrainingSessionCreateView(TrainingCentreOnlyMixin, View):
    template_name = "liaisons/training/session_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TrainingSessionForm()})

    def post(self, request):
        form = TrainingSessionForm(request.POST)
        if form.is_valid():
            try:
                session = training_services.training_session_create(
                    actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("The training session has been created."))
                return redirect("liaisons:training_session_detail", pk=session.pk)
        return render(request, self.template_name, {"form": form}, status=400)


def _looks_like_id_number(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= 6


class TrainingSessionDetailView(ScopedDetailView):
    """A session with its enrolments, who to enrol next, and the results (L-09)."""

    model = TrainingSession
    selector = selectors_training.training_session_list
    template_name = "liaisons/training/session_detail.html"
    context_object_name = "session"

    def get(self, request, *args, **kwargs):
        if _looks_like_id_number(request.GET.get("q", "")):
            # An ID number must not travel in a URL (P-04): answer at an address without it,
            # and point to the form that sends it in the request body.
            self.get_object()
            messages.error(
                request,
                _(
                    "Search by name here. Enter an ID number in the field below: it is never "
                    "put in the page address."
                ),
            )
            return redirect(request.path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session, user = self.object, self.request.user
        enrolments = list(selectors_training.training_enrolments(session=session))
        query = self.request.GET.get("q", "").strip()
        search_results = None
        if query and not _looks_like_id_number(query):
            search_results = list(
                selectors_training.training_candidates(user=user)
                .filter(name__icontains=query)
                .exclude(training_enrolments__session=session)
                .order_by("name", "id")[:20]
            )
        context.update(
            enrolments=enrolments,
            awaiting=list(
                selectors_training.training_awaiting_applications(
                    user=user, session=session
                ).select_related("person", "lab")[:50]
            ),
            query=query,
            search_results=search_results,
            results_open=session.starts_on <= timezone.localdate(),
            is_full=session.capacity is not None and len(enrolments) >= session.capacity,
            passed=TrainingResult.PASSED,
            failed=TrainingResult.FAILED,
            timeline=_session_timeline(session),
        )
        context.setdefault(
            "enrol_form",
            EnrolForm(candidates=selectors_training.training_candidates(user=user)),
        )
        return context


def _session_timeline(session: TrainingSession) -> list[TimelineEntry]:
    """The session's own changes, and every enrolment and result recorded in it."""
    entries = timeline_for(session)
    records = (
        TrainingEnrolment.history.filter(session_id=session.pk)
        .select_related("person", "history_user__person")
        .order_by("-history_date")[:100]
    )
    for record in records:
        if record.history_type == "+":
            what = _("enrolled %(name)s") % {"name": record.person.name}
        elif record.result != TrainingResult.ENROLLED:
            what = _("result of %(name)s: %(result)s") % {
                "name": record.person.name,
                "result": record.get_result_display(),
            }
        else:
            continue
        user = record.history_user
        who = (
            _("system")
            if user is None
            else getattr(getattr(user, "person", None), "name", None)
            or user.get_full_name()
            or user.get_username()
        )
        entries.append(TimelineEntry(when=record.history_date, who=who, what=what))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:100]


class TrainingEnrolView(TrainingSessionDetailView):
    """POST: enrol the person picked or named by ID number."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        form = EnrolForm(
            request.POST, candidates=selectors_training.training_candidates(user=request.user)
        )
        if form.is_valid():
            try:
                enrolment = training_services.training_enrol(
                    session=session, person=form.cleaned_data["person"], actor=request.user
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request, _("%(name)s has been enrolled.") % {"name": enrolment.person.name}
                )
                return redirect("liaisons:training_session_detail", pk=session.pk)
        context = self.get_context_data(object=session, enrol_form=form)
        return self.render_to_response(context, status=400)


class TrainingResultView(TrainingSessionDetailView):
    """POST: record that one enrolled person passed or failed (L-09)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        form = TrainingResultForm(request.POST, enrolments=session.enrolments.all())
        if form.is_valid():
            try:
                enrolment = training_services.training_result_record(
                    enrolment=form.cleaned_data["enrolment"],
                    result=form.cleaned_data["result"],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Result recorded for %(name)s: %(result)s.")
                    % {"name": enrolment.person.name, "result": enrolment.get_result_display()},
                )
                return redirect("liaisons:training_session_detail", pk=session.pk)
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        context = self.get_context_data(object=session)
        return self.render_to_response(context, status=400)


# --- continuous evaluation (L-10) -------------------------------------------------------------


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
        if query and not _looks_like_id_number(query):
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
        if query and not _looks_like_id_number(query):
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
                _add_service_error(form, error)
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
                _add_service_error(form, error)
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
    path("training/", TrainingSessionListView.as_view(), name="training_session_list"),
    path("training/new/", TrainingSessionCreateView.as_view(), name="training_session_create"),
    path("training/<int:pk>/", TrainingSessionDetailView.as_view(), name="training_session_detail"),
    path("training/<int:pk>/enrol/", TrainingEnrolView.as_view(), name="training_enrol"),
    path("training/<int:pk>/result/", TrainingResultView.as_view(), name="training_result"),
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
