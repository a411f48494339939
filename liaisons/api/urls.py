"""REST API of the liaison capability (documented in the OpenAPI schema)."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "liaisons_api"

router = DefaultRouter()
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("assessment-entries", views.AssessmentEntryViewSet, basename="assessment-entry")
router.register("qualifications", views.QualificationViewSet, basename="qualification")
router.register("roster", views.RosterViewSet, basename="roster")
router.register("labs", views.LabCoverageViewSet, basename="lab")

urlpatterns = router.urls
