"""The lists of external labs (Q-10): cooperations and the leads' proposals."""

import django_filters
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from directory.widgets import PlainSelect

from ..constants import CooperationState, ProposalAction, ProposalState
from ..models import CooperationProposal, LabCooperation
from . import ANY_STATE, CHUNK, DAY, WHEN, SafeResource, bodies_in_scope, search


class CooperationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Lab or project"))
    state = django_filters.ChoiceFilter(
        choices=CooperationState.choices, label=_("State"), empty_label=ANY_STATE
    )
    body = django_filters.ModelChoiceFilter(
        queryset=bodies_in_scope, label=_("Certification body"), widget=PlainSelect
    )

    class Meta:
        model = LabCooperation
        fields = ["q", "state", "body"]

    def search(self, queryset, name, value):
        return search(queryset, value, "lab__name", "project__name", "project__code")


class ProposalFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=ProposalState.choices, label=_("State"), empty_label=ANY_STATE
    )
    action = django_filters.ChoiceFilter(
        choices=ProposalAction.choices, label=_("Proposal"), empty_label=_("Any")
    )
    body = django_filters.ModelChoiceFilter(
        field_name="cooperation__body",
        queryset=bodies_in_scope,
        label=_("Certification body"),
        widget=PlainSelect,
    )

    class Meta:
        model = CooperationProposal
        fields = ["state", "action", "body"]


class CooperationResource(SafeResource):
    body = Field(attribute="body__name", column_name=_("Certification body"))
    lab = Field(attribute="lab__name", column_name=_("External testing lab"))
    accreditation = Field(
        attribute="lab__accreditation_number", column_name=_("Accreditation number")
    )
    project = Field(attribute="project", column_name=_("Certification project"))
    since = Field(attribute="since", column_name=_("Since"), widget=DAY)
    state = Field(column_name=_("State"))

    class Meta:
        model = LabCooperation
        fields = ("body", "lab", "accreditation", "project", "since", "state")
        export_order = fields
        chunk_size = CHUNK

    def dehydrate_state(self, cooperation):
        return str(cooperation.get_state_display())


class ProposalResource(SafeResource):
    body = Field(attribute="cooperation__body__name", column_name=_("Certification body"))
    lab = Field(attribute="cooperation__lab__name", column_name=_("External testing lab"))
    project = Field(attribute="cooperation__project", column_name=_("Certification project"))
    action = Field(column_name=_("Proposal"))
    lead = Field(column_name=_("Proposed by"))
    reason = Field(attribute="reason", column_name=_("Reason"))
    proposed_at = Field(attribute="proposed_at", column_name=_("Proposed at"), widget=WHEN)
    state = Field(column_name=_("State"))
    decided_at = Field(attribute="decided_at", column_name=_("Decided at"), widget=WHEN)
    comment = Field(attribute="decision_comment", column_name=_("Comment on the decision"))

    class Meta:
        model = CooperationProposal
        fields = ("body", "lab", "project", "action", "lead", "reason", "proposed_at", "state")
        fields = (*fields, "decided_at", "comment")
        export_order = fields
        chunk_size = CHUNK

    def dehydrate_action(self, proposal):
        return str(proposal.get_action_display())

    def dehydrate_state(self, proposal):
        return str(proposal.get_state_display())

    def dehydrate_lead(self, proposal):
        # The lead, or the director who proposed a resumption.
        return proposal.proposer.person.name
