"""Screens of the external testing labs (Q-10): the cooperations and the proposals lists,
a lab's and a cooperation's pages, the lead's evaluation and proposal (a resumption also
the director's), the director's decision."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import CertificationBody
from directory.views import ScopedDetailView

from .. import permissions, selectors
from ..constants import CooperationState, ProposalState
from ..duty_forms import (
    CooperationForm,
    DecideForm,
    EvaluationForm,
    ExternalLabForm,
    ProposalForm,
    ResumptionForm,
)
from ..models import CooperationProposal, ExternalLab, LabCooperation
from ..services import external_labs
from ..tables.external_labs import (
    CooperationFilter,
    CooperationResource,
    ProposalFilter,
    ProposalResource,
)
from .common import ObjectFormView, Step
from .listing import ScopedExportView, ScopedListView, list_urls


class CooperationListView(ScopedListView):
    selector = selectors.cooperation_list
    filterset_class = CooperationFilter
    template_name = "quality_roles/external_labs/cooperation_list.html"
    export_url_name = "cooperation_export"
    title = gettext_lazy("External testing labs of the projects (Q-10)")


class CooperationExportView(ScopedExportView):
    selector = selectors.cooperation_list
    filterset_class = CooperationFilter
    resource_class = CooperationResource
    filename = "external-lab-cooperations"


class ProposalListView(ScopedListView):
    selector = selectors.proposal_list
    filterset_class = ProposalFilter
    template_name = "quality_roles/external_labs/proposal_list.html"
    export_url_name = "proposal_export"
    title = gettext_lazy("Proposals to pause, end or resume a cooperation (Q-10)")


class ProposalExportView(ScopedExportView):
    selector = selectors.proposal_list
    filterset_class = ProposalFilter
    resource_class = ProposalResource
    filename = "cooperation-proposals"


class ExternalLabCreateView(ObjectFormView):
    model = CertificationBody
    selector = selectors.body_list
    form_class = ExternalLabForm
    title = gettext_lazy("Register an external testing lab")

    def allowed(self, body) -> bool:
        return permissions.can_manage_external_labs(self.request.user, body)

    def perform(self, body, data):
        return external_labs.external_lab_register(body=body, actor=self.request.user, **data)


class CooperationCreateView(ObjectFormView):
    model = ExternalLab
    selector = selectors.external_lab_list
    form_class = CooperationForm
    title = gettext_lazy("A project works with this lab")

    def allowed(self, lab) -> bool:
        return permissions.can_manage_external_labs(self.request.user, lab.body)

    def form_kwargs(self, lab) -> dict:
        return {"body": lab.body}

    def perform(self, lab, data):
        return external_labs.lab_cooperation_start(lab=lab, actor=self.request.user, **data)


class ExternalLabDetailView(ScopedDetailView):
    model = ExternalLab
    selector = selectors.external_lab_list
    template_name = "quality_roles/external_labs/lab_detail.html"
    context_object_name = "lab"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cooperations"] = list(
            self.object.cooperations.select_related("project").order_by("project__code")
        )
        context["can_manage"] = permissions.can_manage_external_labs(
            self.request.user, self.object.body
        )
        return context


class CooperationLeadView(ObjectFormView):
    model = LabCooperation
    selector = selectors.cooperation_list

    def allowed(self, cooperation) -> bool:
        return permissions.lead_for_project(self.request.user, cooperation.project) is not None


class EvaluationCreateView(CooperationLeadView):
    form_class = EvaluationForm
    title = gettext_lazy("Evaluate the external lab")
    intro = gettext_lazy(
        "The project quality lead reviews and evaluates the external labs the project works "
        "with (Q-10)."
    )
    submit_label = gettext_lazy("Record the evaluation")

    def perform(self, cooperation, data):
        external_labs.lab_evaluation_record(
            cooperation=cooperation, actor=self.request.user, **data
        )
        return cooperation


class ProposalCreateView(CooperationLeadView):
    form_class = ProposalForm
    title = gettext_lazy("Propose to pause or end the cooperation")
    intro = gettext_lazy("The quality director approves or refuses the proposal (Q-10).")
    submit_label = gettext_lazy("Propose to the director")

    def form_kwargs(self, cooperation) -> dict:
        return {"cooperation": cooperation}

    def perform(self, cooperation, data):
        return external_labs.cooperation_proposal_submit(
            cooperation=cooperation, actor=self.request.user, **data
        )


class ResumptionCreateView(ObjectFormView):
    model = LabCooperation
    selector = selectors.cooperation_list
    form_class = ResumptionForm
    title = gettext_lazy("Propose to resume the cooperation")
    intro = gettext_lazy(
        "Only a paused cooperation is resumed; an ended one stays ended. The quality director "
        "approves or refuses the proposal (Q-10)."
    )
    submit_label = gettext_lazy("Propose to the director")

    def allowed(self, cooperation) -> bool:
        return permissions.can_propose_resumption(self.request.user, cooperation)

    def form_kwargs(self, cooperation) -> dict:
        return {"cooperation": cooperation}

    def perform(self, cooperation, data):
        return external_labs.cooperation_resumption_propose(
            cooperation=cooperation, actor=self.request.user, **data
        )


class CooperationDetailView(ScopedDetailView):
    model = LabCooperation
    selector = selectors.cooperation_list
    template_name = "quality_roles/external_labs/cooperation_detail.html"
    context_object_name = "cooperation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cooperation = self.object
        context["evaluations"] = list(
            cooperation.evaluations.select_related("lead__staff__person").order_by(
                "-evaluated_on", "-pk"
            )
        )
        context["proposals"] = list(
            cooperation.proposals.select_related(
                "lead__staff__person", "proposing_director__staff__person"
            ).order_by("-pk")
        )
        context["is_lead"] = (
            permissions.lead_for_project(self.request.user, cooperation.project) is not None
        )
        # the button only for who may propose, and only while the cooperation is paused.
        context["can_propose_resumption"] = (
            cooperation.state == CooperationState.PAUSED
            and permissions.can_propose_resumption(self.request.user, cooperation)
        )
        return context


class ProposalDecideView(ObjectFormView):
    model = CooperationProposal
    selector = selectors.proposal_list
    form_class = DecideForm
    title = gettext_lazy("Decide on the proposal")
    submit_label = gettext_lazy("Record the decision")

    def allowed(self, proposal) -> bool:
        return permissions.can_decide_cooperation_proposal(self.request.user, proposal)

    def perform(self, proposal, data):
        return external_labs.cooperation_proposal_decide(
            proposal=proposal, actor=self.request.user, **data
        )

    def success_message(self, proposal) -> str:
        return _("The decision is recorded (Q-10).")


class ProposalDetailView(ScopedDetailView):
    model = CooperationProposal
    selector = selectors.proposal_list
    template_name = "quality_roles/external_labs/proposal_detail.html"
    context_object_name = "proposal"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.object
        steps = []
        if proposal.state == ProposalState.PROPOSED and (
            permissions.can_decide_cooperation_proposal(self.request.user, proposal)
        ):
            steps = [
                Step(
                    name="decide",
                    label=str(ProposalDecideView.submit_label),
                    form=DecideForm(),
                    url=reverse("quality_roles:proposal_decide", args=[proposal.pk]),
                )
            ]
        context["steps"] = steps
        return context


urlpatterns = [
    *list_urls("external-labs", "cooperation", CooperationListView, CooperationExportView),
    *list_urls("external-labs/proposals", "proposal", ProposalListView, ProposalExportView),
    path(
        "bodies/<int:pk>/external-labs/new/",
        ExternalLabCreateView.as_view(),
        name="external_lab_create",
    ),
    path("external-labs/<int:pk>/", ExternalLabDetailView.as_view(), name="external_lab_detail"),
    path(
        "external-labs/<int:pk>/cooperations/new/",
        CooperationCreateView.as_view(),
        name="cooperation_create",
    ),
    path("cooperations/<int:pk>/", CooperationDetailView.as_view(), name="cooperation_detail"),
    path(
        "cooperations/<int:pk>/evaluate/", EvaluationCreateView.as_view(), name="evaluation_create"
    ),
    path("cooperations/<int:pk>/propose/", ProposalCreateView.as_view(), name="proposal_create"),
    path(
        "cooperations/<int:pk>/propose-resumption/",
        ResumptionCreateView.as_view(),
        name="resumption_create",
    ),
    path("proposals/<int:pk>/", ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/decide/", ProposalDecideView.as_view(), name="proposal_decide"),
]
