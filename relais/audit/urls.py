from django.urls import path

from relais.audit import views

app_name = "audit"

urlpatterns = [
    path("journal-des-acces/", views.access_log, name="access_log"),
]
