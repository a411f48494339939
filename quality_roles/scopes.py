"""What a project quality lead answers for (Q-05, Q-09), defined once.

A lead is appointed for named certification projects and whole product categories. The lead
*answers for* a certificate when the lead's projects include the certificate's project, or the
lead's categories include the certificate's category or the category its project belongs to:
a lead of a whole category answers for every project in it (as for the external labs of Q-10,
``permissions.lead_for_project``). A certificate's responsible lead must answer for it (Q-05);
every path that sets the lead checks it here: assigning one certificate, handing a leaving
lead's certificates over, and the import.

``LeadScope`` holds one lead's project and category ids, read once, and says the same thing in
two forms: ``answers_for`` for one certificate or import row in Python, ``q`` for a set of
certificates in SQL (the hand-over asks the database which certificates the successor does not
answer for, before its single UPDATE).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Certificate, CertificationProject, LeadAppointment, ProductCategory
from .rules import rule_problem

#: Certificate numbers a refusal names before "and N more".
NAMED_IN_REFUSAL = 10


@dataclass(frozen=True)
class LeadScope:
    """The certification projects and product categories one lead answers for, by id."""

    lead_id: int
    project_ids: frozenset[int]
    category_ids: frozenset[int]

    @classmethod
    def of(cls, lead: LeadAppointment) -> "LeadScope":
        """The lead's scope, read in two small queries (or none when prefetched)."""
        return cls(
            lead_id=lead.pk,
            project_ids=frozenset(p.pk for p in lead.projects.all()),
            category_ids=frozenset(c.pk for c in lead.product_categories.all()),
        )

    def answers_for(
        self,
        *,
        project: CertificationProject | None,
        category: ProductCategory | None,
    ) -> bool:
        """Q-05: whether the lead answers for a certificate of ``project`` and ``category``."""
        if project is not None and (
            project.pk in self.project_ids or project.category_id in self.category_ids
        ):
            return True
        return category is not None and category.pk in self.category_ids

    def q(self) -> Q:
        """The same test over certificates, for ``Certificate.objects.filter``."""
        return (
            Q(project_id__in=self.project_ids)
            | Q(project__category_id__in=self.category_ids)
            | Q(category_id__in=self.category_ids)
        )


def scopes_of(leads: Iterable[LeadAppointment]) -> dict[int, LeadScope]:
    """Each lead's scope by the lead's id, read for all of them in two queries."""
    leads = list(leads)
    project_ids: dict[int, set[int]] = {lead.pk: set() for lead in leads}
    category_ids: dict[int, set[int]] = {lead.pk: set() for lead in leads}
    through = LeadAppointment.projects.through.objects.filter(leadappointment_id__in=project_ids)
    for lead_id, project_id in through.values_list("leadappointment_id", "certificationproject_id"):
        project_ids[lead_id].add(project_id)
    through = LeadAppointment.product_categories.through.objects.filter(
        leadappointment_id__in=category_ids
    )
    for lead_id, category_id in through.values_list("leadappointment_id", "productcategory_id"):
        category_ids[lead_id].add(category_id)
    return {
        pk: LeadScope(pk, frozenset(project_ids[pk]), frozenset(category_ids[pk]))
        for pk in project_ids
    }


def leads_answering_for(certificate: Certificate, leads: Iterable[LeadAppointment]) -> set[int]:
    """The ids of those of ``leads`` who answer for ``certificate`` (the assign screen's
    choices), in two queries."""
    return {
        pk
        for pk, scope in scopes_of(leads).items()
        if scope.answers_for(project=certificate.project, category=certificate.category)
    }


def outside_scope_problem(lead: LeadAppointment, *, what: str) -> ValidationError:
    """Q-05: the refusal when ``lead`` does not answer for ``what`` (a project or category)."""
    return rule_problem(
        "Q-05",
        _(
            "%(name)s is not responsible for %(what)s: the responsible lead must be a lead whose "
            "certification projects or product categories include the certificate's."
        )
        % {"name": lead.staff.person.name, "what": what},
    )


def require_answers_for(lead: LeadAppointment, certificate: Certificate, *, field: str) -> None:
    """Q-05: refuse, on ``field``, a responsible lead who does not answer for the certificate."""
    scope = LeadScope.of(lead)
    if not scope.answers_for(project=certificate.project, category=certificate.category):
        raise ValidationError({field: outside_scope_problem(lead, what=_what(certificate))})


def require_answers_for_all(
    lead: LeadAppointment, certificates: QuerySet[Certificate], *, field: str
) -> None:
    """Q-05: refuse, on ``field`` and naming them, when ``lead`` does not answer for some of
    ``certificates``; one query whatever their number."""
    outside_qs = certificates.exclude(LeadScope.of(lead).q()).order_by("number")
    outside = list(outside_qs.values_list("number", flat=True)[: NAMED_IN_REFUSAL + 1])
    if not outside:
        return
    named = ", ".join(outside[:NAMED_IN_REFUSAL])
    if len(outside) > NAMED_IN_REFUSAL:
        more = outside_qs.count() - NAMED_IN_REFUSAL
        named = _("%(numbers)s and %(count)d more") % {"numbers": named, "count": more}
    raise ValidationError(
        {
            field: rule_problem(
                "Q-05",
                ngettext(
                    "%(name)s is not responsible for the project or category of certificate "
                    "%(numbers)s: choose a successor whose certification projects or product "
                    "categories include it.",
                    "%(name)s is not responsible for the projects or categories of "
                    "certificates %(numbers)s: choose a successor whose certification projects "
                    "or product categories include them.",
                    len(outside),
                )
                % {"name": lead.staff.person.name, "numbers": named},
            )
        }
    )


def _what(certificate: Certificate) -> str:
    """The certificate's project and category as a refusal names them."""
    parts = [str(x) for x in (certificate.project, certificate.category) if x is not None]
    return " / ".join(parts)
