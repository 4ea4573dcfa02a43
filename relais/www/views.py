from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist, loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from relais.cases import selectors
from relais.policy import rules

BREAK_GLASS_SLOT = "www/includes/home_break_glass.html"


def home(request):
    """The day of the user: appointments, tasks, requests waiting, caseload."""
    context = {
        "role_label": _role_label(request.user),
        "slot": _optional_template(BREAK_GLASS_SLOT),
    }
    if rules.has_role(request.user, rules.PERSON_ROLES):
        context.update(selectors.home(user=request.user))
        context["is_worker"] = rules.has_role(request.user, rules.CASEWORK_ROLES)
    return render(request, "www/home.html", context)


def _optional_template(name: str) -> str | None:
    """The template's name if some app provides it (a slot another feature fills)."""
    try:
        loader.get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


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
def error_400(request, exception=None):
    """A form too large (e.g. a pasted 10 MB text) or malformed: say so, in French."""
    too_large = isinstance(exception, RequestDataTooBig)
    return render(request, "errors/400.html", {"too_large": too_large}, status=400)


@login_not_required
def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def error_500(request):
    # No context processors, no database: this page must render whatever went wrong.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
