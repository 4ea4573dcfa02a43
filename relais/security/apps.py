from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "relais.security"
    verbose_name = "Sécurité"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from relais.security.middleware import mark_session_touched

        user_logged_in.connect(mark_session_touched, dispatch_uid="relais_session_touched")
