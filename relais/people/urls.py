from django.urls import path

from relais.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("nouvelle/", views.create, name="create"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/identite/", views.edit_identity, name="edit_identity"),
    path("<uuid:public_id>/situation/", views.edit_situation, name="edit_situation"),
    path("<uuid:public_id>/foyer/ajouter/", views.member_add, name="member_add"),
    path("<uuid:public_id>/foyer/<uuid:member_id>/", views.member_edit, name="member_edit"),
    path(
        "<uuid:public_id>/foyer/<uuid:member_id>/retirer/",
        views.member_remove,
        name="member_remove",
    ),
]
