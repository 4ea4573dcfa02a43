"""The project's routes under /ailleurs/: a URLconf swapped by a test."""

from django.urls import include, path

from relais.urls import urlpatterns as relais_urlpatterns

urlpatterns = [path("ailleurs/", include(relais_urlpatterns))]
