from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "relais.www"
