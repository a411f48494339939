"""URLs of the quality roles: each views module holds the patterns of its part."""

from .views import accountability, advice, appointments, regulator

app_name = "quality_roles"

urlpatterns = [
    *appointments.urlpatterns,
    *advice.urlpatterns,
    *accountability.urlpatterns,
    *regulator.urlpatterns,
]
