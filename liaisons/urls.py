"""URLs of the liaison capability; each part's module holds its own patterns."""

from .views import applications, changes, documents, qualifications, roster, training

app_name = "liaisons"

urlpatterns = [
    *applications.urlpatterns,
    *qualifications.urlpatterns,
    *documents.urlpatterns,
    *roster.urlpatterns,
    *training.urlpatterns,
    *changes.urlpatterns,
]
