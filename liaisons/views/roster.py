"""Screens of the liaison capability: roster."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
