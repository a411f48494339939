"""ROOT_URLCONF of the benchmark: the project's URLs plus the bare baseline view."""

from django.urls import path

from cqcportal.urls import urlpatterns as project_urlpatterns

from .baseline import bare_people

urlpatterns = [
    path("bench/bare-people/", bare_people, name="bench_bare_people"),
    *project_urlpatterns,
]
