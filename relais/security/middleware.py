"""Request guards: body size limit, and the second factor for roles that read cases."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp import user_has_device

from relais.policy import rules


class RequestSizeLimitMiddleware:
    """Refuse an oversized body (uploads included) before anything reads it.

    Django caps form fields in memory (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams files to
    disk without a total limit; the reverse proxy should refuse large bodies too
    (``client_max_body_size``), this is the application's own guard.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.RELAIS_MAX_REQUEST_SIZE:
            limit_mb = settings.RELAIS_MAX_REQUEST_SIZE // (1024 * 1024)
            message = f"Envoi trop volumineux (plus de {limit_mb} Mo) : rien n'a été enregistré."
            if request.path.startswith("/api/"):
                # API clients read the API's one error shape, not an HTML page.
                return JsonResponse(
                    {"code": "request_too_large", "message": message, "fields": {}}, status=413
                )
            return render(
                request,
                "security/request_too_large.html",
                {"limit_mb": limit_mb},
                status=413,
            )
        return self.get_response(request)


# Set at login for an account that has a second factor even where it is not required.
SESSION_TWO_FACTOR_REQUIRED = "relais_two_factor_required"


def two_factor_exempt(view):
    """Mark a view reachable before the second factor (its setup, its check, logout)."""
    view.two_factor_exempt = True
    return view


class TwoFactorMiddleware:
    """When the organisation requires it, roles that read case content must have proved a
    second factor in this session before any page; without a device, they set one up.
    A user who chose a second factor is asked for it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        chose_it = request.session.get(SESSION_TWO_FACTOR_REQUIRED, False)
        if not chose_it and not rules.needs_two_factor(user):
            return None
        target = (
            "security:two_factor_verify" if user_has_device(user) else "security:two_factor_setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
