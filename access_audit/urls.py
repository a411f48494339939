"""URLs of the access audit, under ``audit/``; each part's module holds its own patterns."""

from .views import campaigns

app_name = "access_audit"

urlpatterns = [
    *campaigns.urlpatterns,
]
