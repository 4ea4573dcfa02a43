import uuid

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from relais.people.models import Person
from relais.policy import rules


@login_not_required
@never_cache
@require_GET
def floor(request):
    """The benchmark's floor: the whole middleware stack and one indexed SQL query.

    Routed only when RELAIS_BENCH is set. The probe looks a person up through the ORM by
    its unique (organisation, public_id) index and answers the same whatever it finds:
    it reveals nothing, even to the anonymous client the benchmark uses for it.
    """
    try:
        organisation_id = int(request.GET.get("o", "0"))
        public_id = uuid.UUID(request.GET.get("p", ""))
    except ValueError:
        organisation_id, public_id = 0, uuid.UUID(int=0)
    Person.objects.filter(organisation_id=organisation_id, public_id=public_id).exists()
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def signed_in_floor(request):
    """The benchmark's second reference: what every page of a logged-in user costs before
    its own work. The whole middleware stack with a session (session, user, membership,
    second-factor check), then the same one indexed query as ``floor``, in the user's own
    organisation; no template, nothing logged (it shows nothing).

    Routed only when RELAIS_BENCH is set; a visitor who is not logged in is sent to the
    login page like everywhere else.
    """
    try:
        public_id = uuid.UUID(request.GET.get("p", ""))
    except ValueError:
        public_id = uuid.UUID(int=0)
    Person.objects.filter(
        organisation_id=rules.organisation_id(request.user) or 0, public_id=public_id
    ).exists()
    return HttpResponse("ok", content_type="text/plain")
