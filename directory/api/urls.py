from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("branches", views.BranchCentreViewSet, basename="branch")
router.register("labs", views.TestingLabViewSet, basename="lab")
router.register("bodies", views.CertificationBodyViewSet, basename="body")
router.register("people", views.PersonViewSet, basename="person")

urlpatterns = router.urls
