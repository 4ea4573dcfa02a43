from django.urls import path

from relais.security import views

app_name = "security"

urlpatterns = [
    path(
        "connexion/double-authentification/",
        views.two_factor_verify,
        name="two_factor_verify",
    ),
    path(
        "connexion/double-authentification/activer/",
        views.two_factor_setup,
        name="two_factor_setup",
    ),
    path("compte/securite/", views.account_security, name="account"),
    path("compte/securite/codes-de-secours/", views.backup_codes_renew, name="backup_codes_renew"),
    path("acces-exceptionnel/<uuid:public_id>/", views.break_glass, name="break_glass"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/<uuid:public_id>/", views.supervision_case, name="supervision_case"),
    path(
        "supervision/partager/<uuid:public_id>/",
        views.supervision_share,
        name="supervision_share",
    ),
    path(
        "supervision/partages/<uuid:public_id>/retirer/",
        views.supervision_revoke,
        name="supervision_revoke",
    ),
]
