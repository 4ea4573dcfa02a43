from django.urls import path

from relais.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("rapport/", views.report, name="report"),
    path("rapport.pdf", views.report_pdf, name="report_pdf"),
    path("reglages/", views.settings_view, name="settings"),
]
