from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from relais.policy import rules


def home(request):
    return render(request, "www/home.html", {"role_label": _role_label(request.user)})


def _role_label(user) -> str:
    m = rules.membership(user)
    return m.get_role_display() if m else ""


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers: the application answers and its database too (no data shown)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def error_500(request):
    # No context processors, no database: this page must render whatever went wrong.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
