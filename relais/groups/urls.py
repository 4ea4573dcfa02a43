from django.urls import path

from relais.groups import views

app_name = "groups"

action = "<uuid:public_id>/"

urlpatterns = [
    path("", views.group_action_list, name="list"),
    path("nouvelle/", views.group_action_create, name="create"),
    path(action, views.group_action_detail, name="detail"),
    path(action + "modifier/", views.group_action_edit, name="edit"),
    path(action + "bilan/", views.group_action_mark_held, name="mark_held"),
    path(action + "annulation/", views.group_action_cancel, name="cancel"),
    path(action + "participants/", views.participation_add, name="participation_add"),
    path(
        action + "participants/<uuid:participation_id>/",
        views.participation_edit,
        name="participation_edit",
    ),
]
