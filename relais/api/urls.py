import functools

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from relais.api import views
from relais.api.api import api
from relais.api.errors import error_response


def _api_view(view):
    """Token authentication, not sessions: no login redirect; a 405 in the JSON shape too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            return error_response(
                405,
                "method_not_allowed",
                "Méthode HTTP non autorisée pour cette adresse.",
                headers={"Allow": response.get("Allow", "")},
            )
        return response

    wrapper.login_required = False
    wrapper.csrf_exempt = True
    return wrapper


def _token_only(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _token_only(pattern.url_patterns)
        else:
            pattern.callback = _api_view(pattern.callback)
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
