from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "relais.security"
    verbose_name = "Sécurité"
