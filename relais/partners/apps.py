from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "relais.partners"
    verbose_name = "Partenaires et orientations"

    def ready(self):
        from relais.cases import contents

        contents.register("referrals", "partners.Referral")
