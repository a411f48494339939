"""Screens of the liaison capability: training."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
