"""Pages of the API app: the profile page (tokens) and the API documentation."""

import datetime

import markdown
import nh3
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from relais.api.api import api
from relais.api.docs import describe
from relais.api.errors import NotFound, error_response
from relais.api.forms import TokenForm
from relais.api.models import ApiToken
from relais.api.services import api_token_create, api_token_revoke
from relais.policy import rules

DEFAULT_VALIDITY = datetime.timedelta(days=90)


def _tokens(user):
    return ApiToken.objects.filter(organisation_id=rules.organisation_id(user), user=user)


@never_cache
def profile(request):
    """The user's account: who they are, their password, their API tokens."""
    membership = rules.membership(request.user)
    created = None
    if request.method == "POST" and membership is not None:
        form = TokenForm(request.POST)
        if form.is_valid():
            token, secret = api_token_create(
                by=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
            created = {"token": token, "secret": secret}
            form = TokenForm(initial={"expires_on": timezone.localdate() + DEFAULT_VALIDITY})
    else:
        form = TokenForm(initial={"expires_on": timezone.localdate() + DEFAULT_VALIDITY})
    return render(
        request,
        "api/profile.html",
        {
            "form": form,
            "created": created,
            "tokens": list(_tokens(request.user)) if membership else [],
            "now": timezone.now(),
        },
    )


@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(_tokens(request.user), public_id=token_id)
    api_token_revoke(by=request.user, token=token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne fonctionne plus.")
    return redirect("profile")


@login_not_required
@require_GET
def docs(request):
    """The API reference, rendered on the server from the OpenAPI schema (no script, no CDN)."""
    schema = api.get_openapi_schema()
    context = describe(schema)
    # Our own text (relais/api/api.py), cleaned all the same.
    context["intro_html"] = mark_safe(  # noqa: S308
        nh3.clean(markdown.markdown(context["info"].get("description", "")))
    )
    return render(request, "api/docs.html", context)


@login_not_required
@csrf_exempt
def not_found(request, *args, **kwargs):
    exc = NotFound("Aucune ressource de l'API à cette adresse.")
    return error_response(exc.status, exc.code, exc.message)
