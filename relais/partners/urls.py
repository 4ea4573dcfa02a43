from django.urls import path

from relais.partners import views

app_name = "partners"

urlpatterns = [
    # The directory
    path("partenaires/", views.directory, name="directory"),
    path("partenaires/nouveau/", views.partner_create, name="partner_create"),
    path("partenaires/import/", views.import_new, name="import"),
    path("partenaires/import/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("partenaires/<uuid:public_id>/", views.partner_detail, name="partner_detail"),
    path("partenaires/<uuid:public_id>/modifier/", views.partner_edit, name="partner_edit"),
    path(
        "partenaires/<uuid:public_id>/services/nouveau/",
        views.service_create,
        name="service_create",
    ),
    path(
        "partenaires/services/<uuid:public_id>/modifier/",
        views.service_edit,
        name="service_edit",
    ),
    path(
        "partenaires/<uuid:public_id>/contacts/nouveau/",
        views.contact_create,
        name="contact_create",
    ),
    path(
        "partenaires/contacts/<uuid:public_id>/modifier/",
        views.contact_edit,
        name="contact_edit",
    ),
    # Referrals (orientations)
    path("orientations/", views.referrals, name="referrals"),
    path("orientations/resultats/", views.outcomes, name="outcomes"),
    path("orientations/dossier/<uuid:case_id>/", views.case_referrals, name="case_referrals"),
    path(
        "orientations/dossier/<uuid:case_id>/nouvelle/",
        views.referral_new,
        name="referral_new",
    ),
    path("orientations/<uuid:public_id>/", views.referral_detail, name="referral_detail"),
    path("orientations/<uuid:public_id>/modifier/", views.referral_edit, name="referral_edit"),
    path("orientations/<uuid:public_id>/consentement/", views.consent_new, name="consent_new"),
    path(
        "orientations/consentements/<uuid:public_id>/retirer/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("orientations/<uuid:public_id>/envoyer/", views.referral_send, name="referral_send"),
    path("orientations/<uuid:public_id>/suite/", views.referral_answer, name="referral_answer"),
    path("orientations/<uuid:public_id>/courrier/", views.letter_edit, name="letter_edit"),
    path(
        "orientations/<uuid:public_id>/courrier/imprimer/",
        views.letter_print,
        name="letter_print",
    ),
    path("orientations/<uuid:public_id>/courrier.pdf", views.letter_pdf, name="letter_pdf"),
]
