from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "relais.groups"
    verbose_name = "Actions collectives"
