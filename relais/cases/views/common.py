"""What every casework view shares: fetching through the policy, refusing, rendering forms."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from relais.cases.models import Case
from relais.policy import rules


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def visible_case(request, public_id) -> Case:
    """A case the user may read, or 404 (another organisation, not shared, wrong role)."""
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person"), public_id=public_id
    )


def editable_case(request, public_id) -> Case:
    """A case the user may write in: its referents and the colleagues it is shared with."""
    return get_object_or_404(
        Case.objects.editable_by(request.user).select_related("person"), public_id=public_id
    )


def safe_next(request, default: str) -> str:
    target = request.POST.get("suite") or request.GET.get("suite") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def form_page(request, form, *, title: str, back_url: str, **context):
    """The plain page used by the small forms (one form, one button, a way back)."""
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": title, "back_url": back_url, **context},
    )


def organisation_id(request) -> int:
    org = rules.organisation_id(request.user)
    require(org is not None)
    return org


def posted(request):
    """The submitted data, or None for a GET (an empty POST must still be validated)."""
    return request.POST if request.method == "POST" else None


def uuid_param(request, name: str) -> uuid.UUID | None:
    """A public id passed in the query string; a malformed one is a page not found."""
    value = request.GET.get(name)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
