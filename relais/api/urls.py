from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from relais.api import views
from relais.api.api import api


def _token_only(patterns):
    """The API authenticates by token, not by session: the login redirect must not apply."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _token_only(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


api_patterns, api_app_name, api_namespace = api.urls
_token_only(api_patterns)

urlpatterns = [
    path(
        "api/v1/",
        login_not_required(RedirectView.as_view(pattern_name="api_docs")),
        name="api_root",
    ),
    path("api/v1/docs", views.docs, name="api_docs"),
    path("api/v1/", include((api_patterns, api_app_name), namespace=api_namespace)),
    re_path(r"^api/", views.not_found, name="api_not_found"),
    path("mon-compte/", views.profile, name="profile"),
    path(
        "mon-compte/jetons/<uuid:token_id>/revoquer/",
        views.token_revoke,
        name="api_token_revoke",
    ),
]
