from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "relais.documents"
    verbose_name = "Documents"
