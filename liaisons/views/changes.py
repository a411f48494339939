"""Screens of the liaison capability: changes."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
