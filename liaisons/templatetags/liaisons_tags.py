"""Template tags of the liaison capability: a lab's coverage (L-06), the staff's navigation."""

from dataclasses import dataclass, field

from django import template

from directory.models import CertificationField, TestingLab

from .. import selectors

register = template.Library()


@dataclass
class FieldCoverage:
    """One field of a lab's business scope and the counting liaisons who cover it."""

    field: CertificationField
    liaisons: list[tuple[int, str]] = field(default_factory=list)  # (qualification id, name)
    is_gap: bool = False


@dataclass
class LabCoverage:
    fields: list[FieldCoverage]

    @property
    def gaps(self) -> list[CertificationField]:
        return [entry.field for entry in self.fields if entry.is_gap]


@register.simple_tag
def coverage_for(lab: TestingLab) -> LabCoverage:
    """``{% coverage_for lab as coverage %}``: each field of the lab's CQC business scope,
    covered (by whom) or a gap (L-06). Three queries, whatever the number of liaisons."""
    gaps = {gap.pk for gap in selectors.coverage_gaps(lab=lab)}
    covering: dict[str, list[tuple[int, str]]] = {}
    for pk, name, code in (
        selectors.counting_qualifications()
        .filter(lab=lab)
        .order_by("person__name", "pk")
        .values_list("pk", "person__name", "fields")
    ):
        covering.setdefault(code, []).append((pk, name))
    return LabCoverage(
        fields=[
            FieldCoverage(
                field=scope_field,
                liaisons=covering.get(scope_field.pk, []),
                is_gap=scope_field.pk in gaps,
            )
            for scope_field in lab.business_scope.order_by("position")
        ]
    )


@register.simple_tag
def printable_forms(application) -> list[dict]:
    """``{% printable_forms application as forms %}``: the download links of the
    application's printable forms (L-02..L-04) and, once hired, its hire notice."""
    from ..views.documents import document_links

    return document_links(application)
