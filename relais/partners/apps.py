from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "relais.partners"
    verbose_name = "Partenaires et orientations"
