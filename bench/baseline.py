"""The bare baseline: the people list's page of rows from one ``values()`` query.

Same rows as ``directory:person_list`` shows a branch reviewer (the reviewer's branch, ordered
by the selector's ``name, id``, 50 a page), same columns (name linked to the detail page,
masked ID number, employment number, lab name), but no layout, no filter form, no pagination
COUNT and no context processors. It goes through the same middleware as the real page.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.template import engines

from directory.idnumbers import mask_id_number
from directory.models import Person

PAGE_SIZE = 50

TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>people</title><table>"
    "{% for row in rows %}<tr>"
    "<td><a href=\"{% url 'directory:person_detail' row.id %}\">{{ row.name }}</a></td>"
    '<td>{{ row.masked_id_number }}</td><td>{{ row.employment_number|default:"—" }}</td>'
    "<td>{{ row.lab__name }}</td></tr>{% endfor %}</table>"
)


def bare_people(request):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    start = (page - 1) * PAGE_SIZE
    rows = list(
        Person.objects.filter(lab__branch_id=user.branch_id)
        .order_by("name", "id")
        .values("id", "name", "id_number", "employment_number", "lab__name")[
            start : start + PAGE_SIZE
        ]
    )
    for row in rows:
        row["masked_id_number"] = mask_id_number(row.pop("id_number"))
    return HttpResponse(TEMPLATE.render({"rows": rows}))


# --- Liaisons (issue 3) ----------------------------------------------------------------------


def _page_start(request) -> int:
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    return (page - 1) * PAGE_SIZE


def _field_labels(through, owner: str, ids: list[int]) -> dict[int, list[str]]:
    """The fields of the rows ``ids`` from one query on the M2M table, in the ten's order."""
    from directory.constants import CertificationFieldCode

    order = {code: i for i, code in enumerate(CertificationFieldCode.values)}
    pairs = sorted(
        through.objects.filter(**{f"{owner}_id__in": ids}).values_list(
            f"{owner}_id", "certificationfield_id"
        ),
        key=lambda pair: order[pair[1]],
    )
    labels: dict[int, list[str]] = {}
    for owner_id, code in pairs:
        labels.setdefault(owner_id, []).append(CertificationFieldCode(code).label)
    return labels


ROSTER_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>roster</title><table>"
    "{% for row in rows %}<tr><td>{% if row.person__employment_number %}"
    "<a href=\"{% url 'liaisons:roster_entry' row.person__employment_number %}\">"
    "{{ row.person__name }}</a>{% else %}{{ row.person__name }}{% endif %}</td>"
    '<td class="mono">{{ row.person__employment_number|default:"—" }}</td>'
    "<td>{{ row.lab__name }}</td>"
    '<td>{% for label in row.fields %}<span class="tag">{{ label }}</span> {% endfor %}</td>'
    "<td>{{ row.state_label }}</td></tr>{% endfor %}</table>"
)


def roster_rows_bare(start: int) -> list[dict]:
    """The rows of the public roster (L-11) as ``liaisons:roster`` orders them: the name linked
    to the person's roster entry, employment number, lab, fields, state."""
    from liaisons.constants import QualificationState
    from liaisons.models import LiaisonQualification
    from liaisons.selectors import roster_entries

    rows = list(
        roster_entries()
        .order_by("person__name", "id")
        .values("id", "person__name", "person__employment_number", "lab__name", "state")[
            start : start + PAGE_SIZE
        ]
    )
    fields = _field_labels(
        LiaisonQualification.fields.through, "liaisonqualification", [r["id"] for r in rows]
    )
    for row in rows:
        row["fields"] = fields.get(row["id"], [])
        row["state_label"] = QualificationState(row["state"]).label
    return rows


def bare_roster(request):
    """Anyone may read the roster: no sign-in, like the real page."""
    return HttpResponse(ROSTER_TEMPLATE.render({"rows": roster_rows_bare(_page_start(request))}))


QUEUE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>queue</title><table>"
    "{% for row in rows %}<tr>"
    "<td><a href=\"{% url 'liaisons:application_detail' row.id %}\">{{ row.applicant_name }}</a>"
    "</td><td>{{ row.masked_id_number }}</td><td>{{ row.lab__name }}</td><td>"
    '{% for label in row.fields %}<span class="tag">{{ label }}</span> {% endfor %}</td>'
    '<td>{{ row.state_label }}</td><td>{{ row.submitted_at|date:"Y-m-d" }}</td>'
    "<td>{{ row.age_days }}</td></tr>{% endfor %}</table>"
)


def queue_queryset(user):
    """The review queue's rows: the reviewer's branch, in the queue's default states
    (submitted, being checked), who waited longest first."""
    from liaisons.constants import ApplicationState
    from liaisons.models import LiaisonApplication

    return LiaisonApplication.objects.filter(
        lab__branch_id=user.branch_id,
        state__in=[ApplicationState.SUBMITTED, ApplicationState.WITH_BRANCH],
    ).order_by("submitted_at", "id")


def bare_queue(request):
    from django.utils import timezone

    from liaisons.constants import ApplicationState
    from liaisons.models import LiaisonApplication

    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    start = _page_start(request)
    rows = list(
        queue_queryset(user).values(
            "id", "applicant_name", "person__id_number", "lab__name", "state", "submitted_at"
        )[start : start + PAGE_SIZE]
    )
    fields = _field_labels(
        LiaisonApplication.fields.through, "liaisonapplication", [r["id"] for r in rows]
    )
    today = timezone.localdate()
    for row in rows:
        row["masked_id_number"] = mask_id_number(row.pop("person__id_number"))
        row["fields"] = fields.get(row["id"], [])
        row["state_label"] = ApplicationState(row["state"]).label
        row["age_days"] = (today - timezone.localdate(row["submitted_at"])).days
    return HttpResponse(QUEUE_TEMPLATE.render({"rows": rows}))


#: What the bare JSON view answers: a constant of the eligibility answer's size and shape.
BARE_ANSWER = {
    "username": "cbs0000001",
    "known": True,
    "may_log_in": True,
    "state": "active",
    "rule": "A-01",
    "reason": "The login right is active.",
    "campaign": {
        "campaign": "bench open campaign",
        "confirmation_deadline": "2027-01-30",
        "case": 1,
        "confirmation": "",
    },
}


def bare_json(request):
    """The eligibility benchmark's baseline (issue 12): a Django view answering a constant
    JSON, through the same middleware and gunicorn, with no authentication and no query."""
    from django.http import JsonResponse

    return JsonResponse(BARE_ANSWER)
