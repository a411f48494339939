"""URLs of the quality roles: each views module holds the patterns of its part."""

from .views import appointments, certificates, external_labs, incidents, powers

app_name = "quality_roles"

urlpatterns = [
    *appointments.urlpatterns,
    *certificates.urlpatterns,
    *incidents.urlpatterns,
    *powers.urlpatterns,
    *external_labs.urlpatterns,
]
