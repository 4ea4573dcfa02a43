from django.urls import path

from relais.drafts import views

app_name = "drafts"
urlpatterns = [path("brouillons/", views.drafts, name="drafts")]
