"""Screens of the appointments: a body's key roles, the director's and the leads'
appointments with their timelines, and a form for each step."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from directory.models import CertificationBody
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..constants import DirectorAppointmentState, LeadAppointmentState
from ..forms import (
    ActivateForm,
    AuthoriseForm,
    DirectorNominateForm,
    EndForm,
    FileForm,
    FilingFiledForm,
    GovernanceForm,
    LeadNominateForm,
    StaffCreateForm,
    StaffForm,
    WithdrawForm,
)
from ..forms_certificates import LeadEndForm
from ..models import BodyStaff, DirectorAppointment, Filing, LeadAppointment
from ..services import appointments, bodies, filings
from ..services.bodies import STAFF_FIELDS
from .common import (
    ObjectFormView,
    StepView,
    coverage_of,
    lead_end_warning,
    step_paths,
    step_table,
)

# --- bodies ----------------------------------------------------------------------------------


class BodyListView(LoginRequiredMixin, ListView):
    """The bodies of the user's scope, each with its director in office and its leads."""

    template_name = "quality_roles/body_list.html"
    paginate_by = 50
    context_object_name = "bodies"

    def get_queryset(self):
        director = DirectorAppointment.objects.filter(
            body=OuterRef("pk"), state=DirectorAppointmentState.ACTIVE
        ).values("staff__person__name")[:1]
        return (
            selectors.body_list(user=self.request.user)
            .annotate(
                director_name=Subquery(director),
                active_leads=Count(
                    "lead_appointments",
                    filter=Q(lead_appointments__state=LeadAppointmentState.ACTIVE),
                ),
            )
            .order_by("name", "pk")
        )


class BodyDetailView(ScopedDetailView):
    """A body's key roles: governance, the director, the leads, the staff, filings due."""

    model = CertificationBody
    selector = selectors.body_list
    template_name = "quality_roles/body_detail.html"
    context_object_name = "body"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body, user = self.object, self.request.user
        context.update(
            governance=selectors.governance_of(body),
            director=selectors.active_director(body),
            nominations=list(selectors.open_director_appointments(body)),
            leads=list(selectors.current_leads(body)),
            staff=list(selectors.body_staff(body)),
            due_filings=list(selectors.due_filings(body)),
            can_manage=permissions.can_manage_body(user, body),
            can_nominate_lead=permissions.can_nominate_lead(user, body),
            filing_form=FilingFiledForm(),
            **coverage_of(body),
        )
        return context


class BodyFormView(ObjectFormView):
    model = CertificationBody
    selector = selectors.body_list

    def allowed(self, body) -> bool:
        return permissions.can_manage_body(self.request.user, body)

    def form_kwargs(self, body) -> dict:
        return {"body": body}


class GovernanceEditView(BodyFormView):
    title = gettext_lazy("Legal representative and actual controller")
    intro = gettext_lazy(
        "The quality director is authorised by one of them and may not be the legal "
        "representative (Q-02)."
    )

    form_class = GovernanceForm

    def initial(self, body):
        governance = selectors.governance_of(body)
        if governance is None:
            return {}
        return {
            "legal_representative": governance.legal_representative_id,
            "actual_controller": governance.actual_controller_id,
        }

    def perform(self, body, data):
        bodies.body_governance_set(body=body, actor=self.request.user, **data)
        return body


class StaffCreateView(BodyFormView):
    title = gettext_lazy("Add a staff member")
    intro = gettext_lazy(
        "Education is the person's own record; the years of work are counted from these dates "
        "(Q-03, Q-04)."
    )
    form_class = StaffCreateForm

    def perform(self, body, data):
        bodies.body_staff_add(body=body, actor=self.request.user, **data)
        return body


class DirectorNominateView(BodyFormView):
    title = gettext_lazy("Nominate the quality director")
    form_class = DirectorNominateForm
    submit_label = gettext_lazy("Nominate")

    def allowed(self, body) -> bool:
        return permissions.can_nominate_director(self.request.user, body)

    def perform(self, body, data):
        return appointments.director_appointment_nominate(
            body=body, actor=self.request.user, **data
        )

    def success_message(self, body) -> str:
        return _("The nomination is recorded; the authorisation comes next (Q-02).")


class LeadNominateView(BodyFormView):
    title = gettext_lazy("Nominate a project quality lead")
    intro = gettext_lazy("The quality director nominates the leads (Q-09); the body appoints them.")
    form_class = LeadNominateForm
    submit_label = gettext_lazy("Nominate")

    def allowed(self, body) -> bool:
        return permissions.can_nominate_lead(self.request.user, body)

    def perform(self, body, data):
        return appointments.lead_appointment_nominate(body=body, actor=self.request.user, **data)

    def success_message(self, body) -> str:
        return _("The nomination is recorded; the body appoints the lead next.")


class StaffEditView(ObjectFormView):
    model = BodyStaff
    selector = selectors.staff_list
    form_class = StaffForm
    title = gettext_lazy("Staff member")

    def allowed(self, staff) -> bool:
        return permissions.can_manage_body(self.request.user, staff.body)

    def form_kwargs(self, staff) -> dict:
        # The form validates a copy; the service alone writes the record.
        return {"instance": BodyStaff.objects.get(pk=staff.pk)}

    def perform(self, staff, data):
        bodies.body_staff_update(
            staff=staff, actor=self.request.user, **{k: data[k] for k in STAFF_FIELDS}
        )
        return staff.body


# --- the appointments ----------------------------------------------------------------------------


class DirectorStepView(StepView):
    model = DirectorAppointment
    selector = selectors.director_appointment_list
    url_prefix = "director"
    object_arg = "appointment"

    def allowed(self, appointment) -> bool:
        return permissions.can_carry_director_appointment(self.request.user, appointment)


class DirectorAuthoriseView(DirectorStepView):
    step = "authorise"
    form_class = AuthoriseForm
    title = gettext_lazy("Record the authorisation")
    submit_label = gettext_lazy("Record the authorisation")
    service = appointments.director_appointment_authorise


class DirectorFileView(DirectorStepView):
    step = "file"
    form_class = FileForm
    title = gettext_lazy("Record the filing with the regulator")
    submit_label = gettext_lazy("Record the filing")
    service = appointments.director_appointment_file


class DirectorActivateView(DirectorStepView):
    step = "activate"
    form_class = ActivateForm
    title = gettext_lazy("The director takes office")
    submit_label = gettext_lazy("Take office")
    service = appointments.director_appointment_activate


class DirectorEndView(DirectorStepView):
    step = "end"
    form_class = EndForm
    title = gettext_lazy("End the appointment")
    submit_label = gettext_lazy("End the appointment")
    service = appointments.director_appointment_end
    destructive = True


class DirectorWithdrawView(DirectorStepView):
    step = "withdraw"
    form_class = WithdrawForm
    title = gettext_lazy("Withdraw the nomination")
    submit_label = gettext_lazy("Withdraw the nomination")
    service = appointments.director_appointment_withdraw
    destructive = True


DIRECTOR_STEPS = step_table(
    DirectorAuthoriseView,
    DirectorFileView,
    DirectorActivateView,
    DirectorEndView,
    DirectorWithdrawView,
)


class DirectorAppointmentDetailView(ScopedDetailView):
    """A director appointment: who, each step with who and when (the timeline), the filings,
    and a form for each step the user may take now."""

    model = DirectorAppointment
    selector = selectors.director_appointment_list
    template_name = "quality_roles/director_detail.html"
    context_object_name = "appointment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        appointment = self.object
        context["filings"] = list(selectors.director_filings(appointment))
        context["leads"] = list(
            appointment.nominated_leads.select_related("staff__person").order_by("pk")
        )
        context["steps"] = [
            DIRECTOR_STEPS[name].offered(appointment)
            for name in permissions.director_actions(self.request.user, appointment)
        ]
        return context


class LeadStepView(StepView):
    model = LeadAppointment
    selector = selectors.lead_appointment_list
    url_prefix = "lead"
    object_arg = "appointment"

    def allowed(self, appointment) -> bool:
        # The state is the service's to check: a page left open says what changed meanwhile.
        return permissions.can_end_lead(self.request.user, appointment)


class LeadActivateView(LeadStepView):
    step = "activate"
    form_class = ActivateForm
    title = gettext_lazy("Appoint the lead")
    submit_label = gettext_lazy("Appoint")
    service = appointments.lead_appointment_activate

    def allowed(self, appointment) -> bool:
        return permissions.can_activate_lead(self.request.user, appointment)


class LeadEndView(LeadStepView):
    """Before the end is done, the page lists the certificates it would leave uncovered and
    asks for the successor who takes them over (Q-05)."""

    step = "end"
    form_class = LeadEndForm
    template_name = "quality_roles/certificates/lead_end.html"
    title = gettext_lazy("End the appointment")
    submit_label = gettext_lazy("End the appointment")
    service = appointments.lead_appointment_end
    destructive = True

    def form_kwargs(self, appointment) -> dict:
        return {"appointment": appointment}

    def extra_context(self, appointment) -> dict:
        return lead_end_warning(appointment)


class LeadWithdrawView(LeadStepView):
    step = "withdraw"
    form_class = WithdrawForm
    title = gettext_lazy("Withdraw the nomination")
    submit_label = gettext_lazy("Withdraw the nomination")
    service = appointments.lead_appointment_withdraw
    destructive = True


LEAD_STEPS = step_table(LeadActivateView, LeadEndView, LeadWithdrawView)


class LeadAppointmentDetailView(ScopedDetailView):
    model = LeadAppointment
    selector = selectors.lead_appointment_list
    template_name = "quality_roles/lead_detail.html"
    context_object_name = "appointment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        appointment = self.object
        context["projects"] = list(appointment.projects.order_by("code"))
        context["categories"] = list(appointment.product_categories.order_by("code"))
        context["director"] = selectors.active_director(appointment.body)
        if appointment.state == LeadAppointmentState.ACTIVE:
            context.update(lead_end_warning(appointment))
        context["steps"] = [
            LEAD_STEPS[name].offered(appointment)
            for name in permissions.lead_actions(self.request.user, appointment)
        ]
        return context


class FilingFiledView(ObjectFormView):
    """Q-06: the administrator records that a change was filed with the regulator."""

    model = Filing
    selector = selectors.filing_list
    form_class = FilingFiledForm
    title = gettext_lazy("Record the filing with the regulator")
    submit_label = gettext_lazy("Record the filing")

    def allowed(self, filing) -> bool:
        return permissions.can_record_filing(self.request.user, filing)

    def perform(self, filing, data):
        filings.filing_record_filed(filing=filing, actor=self.request.user, **data)
        return filing.appointment


urlpatterns = [
    path("bodies/", BodyListView.as_view(), name="body_list"),
    path("bodies/<int:pk>/", BodyDetailView.as_view(), name="body_detail"),
    path("bodies/<int:pk>/governance/", GovernanceEditView.as_view(), name="governance_edit"),
    path("bodies/<int:pk>/staff/new/", StaffCreateView.as_view(), name="staff_create"),
    path(
        "bodies/<int:pk>/director/nominate/",
        DirectorNominateView.as_view(),
        name="director_nominate",
    ),
    path("bodies/<int:pk>/leads/nominate/", LeadNominateView.as_view(), name="lead_nominate"),
    path("staff/<int:pk>/", StaffEditView.as_view(), name="staff_edit"),
    path("directors/<int:pk>/", DirectorAppointmentDetailView.as_view(), name="director_detail"),
    *step_paths("directors", DIRECTOR_STEPS),
    path("leads/<int:pk>/", LeadAppointmentDetailView.as_view(), name="lead_detail"),
    *step_paths("leads", LEAD_STEPS),
    path("filings/<int:pk>/filed/", FilingFiledView.as_view(), name="filing_filed"),
]
