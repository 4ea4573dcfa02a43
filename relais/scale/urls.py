"""Benchmark-only routes: empty unless RELAIS_BENCH is set."""

from django.conf import settings
from django.urls import path

from relais.scale import views

urlpatterns = []
if settings.RELAIS_BENCH:
    urlpatterns = [
        path("banc/plancher/", views.floor, name="bench_floor"),
        path("banc/plancher-connecte/", views.signed_in_floor, name="bench_signed_in_floor"),
    ]
