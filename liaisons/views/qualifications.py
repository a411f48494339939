"""Screens of the liaison capability: qualifications."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
