"""URLs of the quality roles: each views module holds the patterns of its part."""

from .views import (
    accountability,
    advice,
    appointments,
    certificates,
    external_labs,
    incidents,
    powers,
    projects,
    regulator,
)

app_name = "quality_roles"

urlpatterns = [
    *appointments.urlpatterns,
    *certificates.urlpatterns,
    *projects.urlpatterns,
    *incidents.urlpatterns,
    *powers.urlpatterns,
    *external_labs.urlpatterns,
    *advice.urlpatterns,
    *accountability.urlpatterns,
    *regulator.urlpatterns,
]
