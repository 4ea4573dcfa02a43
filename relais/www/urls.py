from django.urls import path

from relais.www import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sante/", views.health, name="health"),
]
