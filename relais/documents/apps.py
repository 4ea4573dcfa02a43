from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "relais.documents"
    verbose_name = "Documents"

    def ready(self):
        from relais.cases import contents

        contents.register("documents", "documents.Document")
