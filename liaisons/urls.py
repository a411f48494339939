"""URLs of the liaison capability; each part's module holds its own patterns."""

from .views import (
    applications,
    changes,
    documents,
    evaluations,
    legacy,
    preparation,
    qualifications,
    roster,
    training,
)

app_name = "liaisons"

urlpatterns = [
    *applications.urlpatterns,
    *preparation.urlpatterns,
    *qualifications.urlpatterns,
    *documents.urlpatterns,
    *roster.urlpatterns,
    *training.urlpatterns,
    *evaluations.urlpatterns,
    *changes.urlpatterns,
    *legacy.urlpatterns,
]
