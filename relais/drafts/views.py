from django import forms
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from relais.cases.models import LONG_TEXT_MAX_LENGTH
from relais.drafts import services
from relais.policy import rules


class DraftForm(forms.Form):
    key = forms.CharField(max_length=300)
    text = forms.CharField(required=False, max_length=LONG_TEXT_MAX_LENGTH, strip=False)


@require_http_methods(["GET", "POST"])
def drafts(request):
    """GET ?key=…&key=…: the user's drafts for these fields; POST key, text: keep one."""
    if rules.organisation_id(request.user) is None:
        return HttpResponse(status=403)
    if request.method == "GET":
        keys = [key[:300] for key in request.GET.getlist("key")[:20]]
        return JsonResponse(services.drafts_for(user=request.user, keys=keys))
    form = DraftForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Brouillon trop long : il n'a pas été conservé.")
    services.draft_save(
        by=request.user, key=form.cleaned_data["key"], text=form.cleaned_data["text"]
    )
    return HttpResponse(status=204)
