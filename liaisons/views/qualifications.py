"""Screens of the liaison capability: hired liaisons (qualifications) and departures (L-12)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView

from directory.idsearch import IdNumberSearchMixin
from directory.permissions import can_view_full_id_number
from directory.selectors import get_in_scope_or_404, person_list
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..forms_qualifications import DepartureForm, QualificationFilter
from ..models import LiaisonQualification
from ..services.qualifications import departure_allowed, departure_confirm


class QualificationListView(IdNumberSearchMixin, LoginRequiredMixin, FilterView):
    """The hired liaisons of the user's scope; the search form posts, so an ID number typed
    into it never reaches the URL (P-04, ``directory.idsearch``)."""

    filterset_class = QualificationFilter
    id_search_person = "person_id"
    id_search_label = gettext_lazy("Name, employment number or ID number")
    template_name = "liaisons/qualifications/qualification_list.html"
    paginate_by = 50
    context_object_name = "qualifications"

    def get_queryset(self):
        # One query for the page's fields whatever the page size.
        return selectors.qualification_list(user=self.request.user).prefetch_related("fields")


class QualificationDetailView(ScopedDetailView):
    model = LiaisonQualification
    selector = selectors.qualification_list
    template_name = "liaisons/qualifications/qualification_detail.html"
    context_object_name = "qualification"

    def get_object(self, queryset=None):
        # The person's lab decides whether a branch reviewer sees the full ID number (P-04).
        qualifications = selectors.qualification_list(user=self.request.user)
        return get_in_scope_or_404(qualifications.select_related("person__lab"), self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qualification, user = self.object, self.request.user
        person = qualification.person
        context.update(
            show_full_id_number=can_view_full_id_number(user, person),
            person_visible=person_list(user=user).filter(pk=person.pk).exists(),
            # Linked only for who may open it: the others would follow the link to a 404.
            application_visible=bool(qualification.application_id)
            and selectors.application_list(user=user)
            .filter(pk=qualification.application_id)
            .exists(),
            fields=list(qualification.fields.order_by("position")),
            departures=list(qualification.departures.select_related("confirmed_by__person")),
            evaluations=list(
                qualification.evaluations.select_related(
                    "department", "branch", "evaluated_by__person"
                )
            ),
            evaluation_decisions=list(
                qualification.evaluation_decisions.select_related("decided_by__person")
            ),
        )
        # A form sent back with its errors is always shown; a fresh one only to the lab, while
        # the service would take it (L-12).
        may_confirm = permissions.can_confirm_departure(user, qualification) and departure_allowed(
            qualification
        )
        if may_confirm and "departure_form" not in context:
            context["departure_form"] = DepartureForm()
        return context


class DepartureConfirmView(QualificationDetailView):
    """L-12: the lab confirms that its liaison left; the service suspends or cancels the
    qualification and suspends the business-system login (A-01)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = qualification = self.get_object()
        if not permissions.can_confirm_departure(request.user, qualification):
            raise PermissionDenied
        form = DepartureForm(request.POST)
        if form.is_valid():
            try:
                departure_confirm(
                    qualification=qualification, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The departure of %(name)s has been confirmed.")
                    % {"name": qualification.person.name},
                )
                return redirect("liaisons:qualification_detail", pk=qualification.pk)
        context = self.get_context_data(object=qualification, departure_form=form)
        return self.render_to_response(context, status=400)


def _add_service_error(form, error: ValidationError) -> None:
    """A service's errors on the form: on their field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


urlpatterns = [
    path("qualifications/", QualificationListView.as_view(), name="qualification_list"),
    path(
        "qualifications/<int:pk>/",
        QualificationDetailView.as_view(),
        name="qualification_detail",
    ),
    path(
        "qualifications/<int:pk>/departure/",
        DepartureConfirmView.as_view(),
        name="departure_confirm",
    ),
]
