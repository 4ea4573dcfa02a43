"""The access log for the organisation's admin: filter by reader, person, action, dates."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.audit import selectors
from relais.audit.forms import AccessLogFilterForm
from relais.audit.log import record_search
from relais.policy import rules


@require_GET
def access_log(request):
    if not rules.can_filter_access_log(request.user):
        raise PermissionDenied
    form = AccessLogFilterForm(
        request.GET or None, readers=selectors.users_of_organisation(user=request.user)
    )
    page = None
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        page = selectors.access_log_page(
            user=request.user,
            reader=filters.get("reader"),
            person_query=filters.get("person", ""),
            action=filters.get("action", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            after=selectors.LogCursor.parse(request.GET.get("avant")),
        )
        # Reading the log shows who read which file: that read is logged too.
        record_search(request, object_type="audit.accessevent")
    query = request.GET.copy()
    query.pop("avant", None)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
