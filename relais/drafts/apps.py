from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "relais.drafts"
    verbose_name = "Brouillons"
