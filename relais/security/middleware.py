"""Request guards: body size limit, session keep-alive, and the second factor for roles
that read cases."""

import time
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


# When the session was last pushed back (seconds since the epoch).
SESSION_TOUCHED = "relais_touched"


def mark_session_touched(sender, request, user, **kwargs):
    """At login (``user_logged_in``): the new session has just been written."""
    if getattr(request, "session", None) is not None:
        request.session[SESSION_TOUCHED] = int(time.time())


class SessionKeepAliveMiddleware:
    """Sessions expire after SESSION_COOKIE_AGE without activity: each request pushes the
    expiry back, but the session is written at most once per SESSION_TOUCH_INTERVAL
    (60 s), not on every request (Django's SESSION_SAVE_EVERY_REQUEST writes a row, and on
    SQLite takes the single write lock, for every page). The expiry is then exact to the
    interval: 29 to 30 minutes of inactivity instead of 30.

    Placed after SessionMiddleware, which saves a session marked modified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        stale = now - session.get(SESSION_TOUCHED, 0) >= settings.SESSION_TOUCH_INTERVAL
        if stale or session.modified:
            session[SESSION_TOUCHED] = now
        return response


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
