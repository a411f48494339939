"""REST API of the liaison capability (documented in the OpenAPI schema)."""

from rest_framework.routers import DefaultRouter

app_name = "liaisons_api"

router = DefaultRouter()

urlpatterns = router.urls
