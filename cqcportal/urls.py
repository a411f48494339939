from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from directory import second_factor_views
from directory.forms import PortalPasswordResetForm, SignInForm
from directory.views import DashboardView, PasswordChangeView, healthz, set_language

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            form_class=PortalPasswordResetForm,
        ),
        name="password_reset",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password-change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("accounts/", include(auth_patterns)),
    path("accounts/two-step/", include(second_factor_views)),
    # The portal's own set_language: it also remembers a signed-in user's language (issue 10).
    path("i18n/setlang/", set_language, name="set_language"),
    path("directory/", include("directory.urls")),
    path("liaisons/", include("liaisons.urls")),
    path("audit/", include("access_audit.urls")),
    path("quality-roles/", include("quality_roles.urls")),
    path("admin/", admin.site.urls),
    path("api/liaisons/", include("liaisons.api.urls")),
    # The business system's own API, reached by its feed token alone (issue 12).
    path("api/v1/business-system/", include("access_audit.api.urls")),
    # Read-only, for the regulator's inspectors.
    path("api/v1/quality-roles/", include("quality_roles.api.urls")),
    path("api/", include("directory.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("healthz", healthz, name="healthz"),
]

# Error pages: JSON under /api/, Django's pages elsewhere (issue 9).
handler400 = "cqcportal.api_errors.bad_request"
handler403 = "cqcportal.api_errors.permission_denied"
handler404 = "cqcportal.api_errors.page_not_found"
handler500 = "cqcportal.api_errors.server_error"
