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
