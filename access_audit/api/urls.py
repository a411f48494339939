"""The business system's API, under /api/v1/business-system/ (cqcportal/urls.py)."""

from django.urls import path

from . import views

app_name = "business_system_api"

urlpatterns = [
    path("eligibility/", views.EligibilityView.as_view(), name="eligibility"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
]
