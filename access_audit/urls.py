"""URLs of the access audit, under ``audit/``; each part's module holds its own patterns."""

from django.urls import path

from .views import campaigns, confirmation, enforcement, evidence, imports, requests, rights

app_name = "access_audit"

urlpatterns = [
    *campaigns.urlpatterns,
    *confirmation.urlpatterns,
    # The deadline job's preview, runs and confirmation (L-13, A-04), then what a run took
    # away and its evidence pack.
    *enforcement.urlpatterns,
    *evidence.urlpatterns,
    # Login rights and their requests.
    path("rights/", rights.RightListView.as_view(), name="right_list"),
    path("rights/follow-up/", rights.FollowUpListView.as_view(), name="right_follow_up"),
    path("rights/export.csv", rights.RightExportView.as_view(fmt="csv"), name="right_export_csv"),
    path(
        "rights/export.xlsx", rights.RightExportView.as_view(fmt="xlsx"), name="right_export_xlsx"
    ),
    path("rights/<int:pk>/", rights.RightDetailView.as_view(), name="right_detail"),
    path("rights/import/", imports.AccountImportView.as_view(), name="right_import"),
    path(
        "rights/import/confirm/",
        imports.AccountImportConfirmView.as_view(),
        name="right_import_confirm",
    ),
    path("requests/", requests.RequestListView.as_view(), name="request_list"),
    path("requests/new/", requests.RequestCreateView.as_view(), name="request_create"),
    path(
        "requests/export.csv",
        requests.RequestExportView.as_view(fmt="csv"),
        name="request_export_csv",
    ),
    path(
        "requests/export.xlsx",
        requests.RequestExportView.as_view(fmt="xlsx"),
        name="request_export_xlsx",
    ),
    path("requests/<int:pk>/", requests.RequestDetailView.as_view(), name="request_detail"),
    *[
        path(
            f"requests/<int:pk>/{action}/",
            requests.RequestActionView.as_view(action=action),
            name=f"request_{action}",
        )
        for action in ("accept", "grant", "refuse", "withdraw")
    ],
]
