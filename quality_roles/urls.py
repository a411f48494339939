"""URLs of the quality roles; the views module holds its patterns."""

from .views import urlpatterns  # noqa: F401

app_name = "quality_roles"
