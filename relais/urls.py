from django.contrib.auth import views as auth_views
from django.urls import include, path

from relais.www.forms import LoginForm

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("", include("relais.api.urls")),
    path("personnes/", include("relais.people.urls")),
    path("", include("relais.cases.urls")),
    path("", include("relais.www.urls")),
]

handler400 = "relais.www.views.error_400"
handler403 = "relais.www.views.error_403"
handler404 = "relais.www.views.error_404"
handler500 = "relais.www.views.error_500"
