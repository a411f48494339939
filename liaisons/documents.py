"""The printable forms (L-02..L-04), the hire notice and the roster (L-11) as PDF.

Each document is a Django template under ``liaisons/documents/`` filled from the records, in
Simplified Chinese whatever the reader's language (they are the official paper forms), and
printed by ``cqcportal.pdf``. ``document_html`` is cheap (a template render); its SHA-256 is
the document's fingerprint, so a stored PDF is printed again only when its HTML changed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cqcportal.pdf import html_to_pdf
from directory.constants import CertificationFieldCode
from directory.idnumbers import mask_id_number

from .constants import (
    DOCUMENTS_WITH_ID_NUMBER,
    AssessmentItemKind,
    DocumentKind,
    QualificationState,
)
from .models import LiaisonApplication, LiaisonQualification

#: The stylesheet of every printed form, applied by ``cqcportal.pdf`` (parsed once).
STYLESHEET = "css/forms.css"

#: The language of every printed form.
FORM_LANGUAGE = "zh-hans"

#: Form codes printed in each document's header (L-02).
FORM_CODES = {
    DocumentKind.RECOMMENDATION: "CQC/10 管理 01.03",
    DocumentKind.ASSESSMENT: "CQC/10 管理 01.02(09)",
    DocumentKind.DECLARATION: "CQC/09 管理 01.01",
    DocumentKind.HIRE_NOTICE: "CQC 认证联络员聘用通知",
}

#: How many pages each document is designed to fill (the tests hold the forms to it).
DESIGNED_PAGES = {
    DocumentKind.RECOMMENDATION: 1,
    DocumentKind.ASSESSMENT: 1,
    DocumentKind.DECLARATION: 1,
    DocumentKind.HIRE_NOTICE: 1,
}

#: Rows of a roster PDF at most: a print-out, not a data export (CSV and XLSX are that).
ROSTER_PDF_MAX_ROWS = 1000


@dataclass(frozen=True)
class Rendered:
    html: str
    fingerprint: str

    def pdf(self) -> bytes:
        return html_to_pdf(self.html, stylesheets=(STYLESHEET,))


def chinese_date(day: datetime.date | datetime.datetime | None) -> str:
    """``2026年9月15日``, as dates are written on the paper forms; blank if unknown."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return f"{day.year}年{day.month}月{day.day}日"


def _field_labels(codes) -> list[str]:
    order = list(CertificationFieldCode.values)
    return [str(CertificationFieldCode(code).label) for code in sorted(codes, key=order.index)]


def _all_fields(chosen: set[str]) -> list[dict]:
    """The ten fields, each ticked or not, in the order of the ten (L-05)."""
    return [
        {"label": str(label), "chosen": code in chosen}
        for code, label in CertificationFieldCode.choices
    ]


def _application_context(application: LiaisonApplication, codes=None) -> dict:
    if codes is None:
        codes = application.fields.values_list("code", flat=True)
    codes = set(codes)
    return {
        "application": application,
        # The applicant as the application states them, never the person's record (issue 9).
        "person": application.applicant,
        "lab": application.lab,
        "branch": application.lab.branch,
        "fields": _field_labels(codes),
        "all_fields": _all_fields(codes),
        "submitted_on": chinese_date(application.submitted_at),
    }


def _recommendation_context(application, *, full_id_number: bool, codes=None) -> dict:
    person = application.applicant
    lines = [line.strip() for line in application.work_history.splitlines() if line.strip()]
    return {
        **_application_context(application, codes),
        "id_number": person.id_number if full_id_number else mask_id_number(person.id_number),
        "birth_date": chinese_date(person.birth_date),
        "work_started_on": chinese_date(application.work_started_on),
        "work_history_lines": lines,
        # Set smaller when it would not fit the box at the normal size (issue 9).
        "work_history_dense": len(lines) > 4 or sum(len(line) for line in lines) > 150,
    }


def _assessment_context(application) -> dict:
    entries = list(application.assessment_entries.select_related("field").order_by("position"))
    rows = [
        {
            "position": e.position,
            "kind": e.kind,
            "content": e.content,
            "trained_on": chinese_date(e.trained_on),
            "evaluation": e.evaluation,
            "signatory": e.signatory,
        }
        for e in entries
    ]
    return {
        **_application_context(application),
        "prescribed": [row for row in rows if row["kind"] == AssessmentItemKind.PRESCRIBED],
        "field_entries": [row for row in rows if row["kind"] == AssessmentItemKind.FIELD],
    }


def roster_entry_url(employment_number: str) -> str:
    """The absolute address of a person's public roster entry (L-11): what the QR code of a
    hire notice opens. The employment number is public; the ID number never appears."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "liaisons:roster_entry", args=[employment_number]
    )


def qr_svg(data: str) -> str:
    """An inline SVG QR code of ``data`` (segno, error correction M)."""
    import segno

    return segno.make(data, error="m", micro=False).svg_inline(scale=4, border=2, omitsize=True)


def _hire_notice_context(qualification: LiaisonQualification) -> dict:
    person = qualification.person
    url = roster_entry_url(person.employment_number)
    return {
        "qualification": qualification,
        "person": person,
        "lab": qualification.lab,
        "branch": qualification.lab.branch,
        "fields": _field_labels(qualification.fields.values_list("code", flat=True)),
        "hired_on": chinese_date(qualification.hired_on),
        "roster_url": url,
        "qr_svg": qr_svg(url),
    }


def in_form_language(function):
    """Build and render a document in Chinese, whatever language the reader's request is in
    (labels of choices are turned into text while the context is built)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(FORM_LANGUAGE):
            return function(*args, **kwargs)

    return wrapper


@functools.cache
def _stylesheet_digest() -> bytes:
    """The forms' stylesheet, hashed once per process (a deploy restarts the processes): a
    changed stylesheet prints every form again, as a changed template does."""
    from django.contrib.staticfiles import finders

    return hashlib.sha256(Path(finders.find(STYLESHEET)).read_bytes()).digest()


def _render(template: str, context: dict) -> Rendered:
    html = render_to_string(f"liaisons/documents/{template}.html", context)
    fingerprint = hashlib.sha256(_stylesheet_digest() + html.encode()).hexdigest()
    return Rendered(html=html, fingerprint=fingerprint)


@in_form_language
def application_document(
    application: LiaisonApplication, kind: str, *, full_id_number: bool = False
) -> Rendered:
    """The HTML of one of the application's forms; the PDF is ``.pdf()`` of it.

    ``full_id_number`` only matters for forms that carry the ID number (P-04).
    """
    if kind == DocumentKind.RECOMMENDATION:
        context = _recommendation_context(application, full_id_number=full_id_number)
    elif kind == DocumentKind.ASSESSMENT:
        context = _assessment_context(application)
    elif kind == DocumentKind.DECLARATION:
        context = _application_context(application)
    elif kind == DocumentKind.HIRE_NOTICE:
        context = _hire_notice_context(hired_qualification(application))
    else:
        raise ValueError(kind)
    return _render(kind, {**context, "form_code": FORM_CODES[kind]})


@in_form_language
def recommendation_form(
    application: LiaisonApplication, *, codes, full_id_number: bool = False
) -> Rendered:
    """The recommendation form of an application held in memory, with the field codes
    given (``bench/pdf.py`` prints it without a database)."""
    context = _recommendation_context(application, full_id_number=full_id_number, codes=codes)
    return _render(
        DocumentKind.RECOMMENDATION,
        {**context, "form_code": FORM_CODES[DocumentKind.RECOMMENDATION]},
    )


def hired_qualification(application: LiaisonApplication) -> LiaisonQualification:
    """The qualification the application's hire created (raises if it was not hired)."""
    return LiaisonQualification.objects.select_related("person", "lab__branch").get(
        application=application
    )


def carries_id_number(kind: str) -> bool:
    return kind in DOCUMENTS_WITH_ID_NUMBER


def roster_rows(entries) -> list[dict]:
    """The printed roster's rows: the public columns only, never the ID number (L-11)."""
    from .exports import roster_queryset

    states = dict(QualificationState.choices)
    return [
        {
            "name": entry.person.name,
            "employment_number": entry.person.employment_number,
            "lab": entry.lab.name,
            "fields": _field_labels(field.code for field in entry.fields.all()),
            "state_label": str(states[entry.state]),
        }
        for entry in roster_queryset(entries[:ROSTER_PDF_MAX_ROWS])
    ]


@in_form_language
def roster_document(entries, *, filters: list[tuple], total: int) -> bytes:
    """The roster as filtered on screen (L-11): name, employment number, lab, fields, state;
    never the ID number. At most ``ROSTER_PDF_MAX_ROWS`` rows; the heading says so."""
    rows = roster_rows(entries)
    rendered = _render(
        "roster",
        {
            "rows": rows,
            "filters": [(str(label), str(value)) for label, value in filters],
            "total": total,
            "truncated": total > len(rows),
            "printed_on": chinese_date(timezone.localdate()),
            "form_code": "CQC 认证联络员聘用名录",
        },
    )
    return rendered.pdf()
