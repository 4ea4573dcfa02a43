from django.contrib.auth import views as auth_views
from django.urls import include, path

from relais.security import views as security_views

urlpatterns = [
    path("connexion/", security_views.LoginView.as_view(), name="login"),
    path("deconnexion/", security_views.logout, name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("relais.security.urls")),
    path("", include("relais.audit.urls")),
    path("", include("relais.api.urls")),
    path("personnes/", include("relais.people.urls")),
    path("rapports/", include("relais.reports.urls")),
    path("documents/", include("relais.documents.urls")),
    path("", include("relais.cases.urls")),
    path("", include("relais.partners.urls")),
    path("", include("relais.budget.urls")),
    path("statistiques/", include("relais.stats.urls")),
    path("actions-collectives/", include("relais.groups.urls")),
    path("", include("relais.drafts.urls")),
    path("", include("relais.www.urls")),
    path("", include("relais.scale.urls")),
]

handler400 = "relais.www.views.error_400"
handler403 = "relais.www.views.error_403"
handler404 = "relais.www.views.error_404"
handler500 = "relais.www.views.error_500"
