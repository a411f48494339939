"""ROOT_URLCONF of the benchmark: the project's URLs plus the bare baseline views."""

from django.urls import path

from cqcportal.urls import urlpatterns as project_urlpatterns

from .baseline import bare_json, bare_people, bare_queue, bare_roster

urlpatterns = [
    path("bench/bare-people/", bare_people, name="bench_bare_people"),
    path("bench/bare-queue/", bare_queue, name="bench_bare_queue"),
    path("bench/bare-roster/", bare_roster, name="bench_bare_roster"),
    path("bench/bare-json/", bare_json, name="bench_bare_json"),
    *project_urlpatterns,
]
