"""Q-05 coverage, defined once: a valid certificate of a body is *covered* when its
responsible lead's appointment is active, and *uncovered* otherwise (no lead, or a lead
ended, withdrawn or only nominated).

The test is an anti-join (``NOT EXISTS`` an active appointment with the certificate's
``responsible_lead_id``), so the database answers it for a whole body or for every body at
once, with no row brought into Python. The director's dashboard card, the body's page, the
certificate list's "uncovered" filter and the end of a lead's appointment all use it; the
benchmark (bench/quality_coverage.py) measures it against the same anti-join written by hand.
"""

import functools

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from .constants import CertificateState, LeadAppointmentState
from .models import Certificate, LeadAppointment


def uncovered(certificates: QuerySet, *, ending: LeadAppointment | None = None) -> QuerySet:
    """Q-05: ``certificates`` cut to the valid ones no active lead answers for; with
    ``ending``, as they would be once that lead's appointment ends."""
    active = LeadAppointment.objects.filter(
        pk=OuterRef("responsible_lead_id"), state=LeadAppointmentState.ACTIVE
    )
    if ending is not None:
        active = active.exclude(pk=ending.pk)
    return certificates.filter(state=CertificateState.VALID).filter(~Exists(active))


def uncovered_certificates(*, body) -> QuerySet[Certificate]:
    """Q-05: the body's valid certificates with no responsible lead in office."""
    return uncovered(Certificate.objects.filter(body=body))


#: A body id no body has: where the compiled count takes the body's own.
_ANY_BODY = -20_260_105


@functools.cache
def _count_statement(vendor: str) -> tuple[str, tuple]:
    """``uncovered_certificates``'s count as SQL, compiled once per process and database kind
    from the definition above: the dashboard asks it on every visit, and compiling the query
    cost three times what the database takes to answer it (bench/quality_coverage.py)."""
    query = uncovered(Certificate.objects.filter(body_id=_ANY_BODY)).order_by().values("pk")
    sql, params = query.query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) uncovered", params  # noqa: S608 - the ORM's SQL


def uncovered_count(*, body) -> int:
    """Q-05: how many of the body's valid certificates have no responsible lead in office."""
    sql, params = _count_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [body.pk if p == _ANY_BODY else p for p in params])
        return cursor.fetchone()[0]


def would_uncover(lead: LeadAppointment) -> QuerySet[Certificate]:
    """Q-05: the certificates that ending ``lead``'s appointment would leave uncovered."""
    return uncovered(Certificate.objects.filter(responsible_lead=lead), ending=lead)


def is_uncovered(certificate: Certificate) -> bool:
    """The same test for one certificate whose lead is loaded (a list's row): no query."""
    lead = certificate.responsible_lead
    return certificate.state == CertificateState.VALID and (
        lead is None or lead.state != LeadAppointmentState.ACTIVE
    )
