"""Screens of the liaison capability, one module per part; each module has its urlpatterns."""
