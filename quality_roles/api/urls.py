"""REST API of the quality roles (read-only, in the OpenAPI schema)."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "quality_roles_api"

router = DefaultRouter()
router.register("bodies", views.BodyViewSet, basename="body")
router.register("directors", views.DirectorViewSet, basename="director")
router.register("leads", views.LeadViewSet, basename="lead")
router.register("assessments", views.AssessmentViewSet, basename="assessment")

urlpatterns = router.urls
