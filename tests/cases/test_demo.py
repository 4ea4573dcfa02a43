import datetime

from django.core.management import call_command
from django.utils import timezone

from relais.accounts.models import Organisation
from relais.cases import enums
from relais.cases.models import (
    Appointment,
    Case,
    CaseReferent,
    FinancialAid,
    Goal,
    Intervention,
    Note,
    Request,
    Task,
)
from relais.demo.casework import seed_casework
from relais.demo.organisation import DEMO_ORGANISATION_ID
from relais.people.models import Person


def test_the_demo_has_realistic_social_files_once(db):
    call_command("seed_demo")
    organisation = Organisation.objects.get(public_id=DEMO_ORGANISATION_ID)
    today = timezone.localdate()
    persons = Person.objects.filter(organisation=organisation).count()
    assert persons >= 200
    assert seed_casework(organisation) == 0  # idempotent
    call_command("seed_demo")
    assert Person.objects.filter(organisation=organisation).count() == persons

    workers = set(CaseReferent.objects.values_list("user__email", flat=True))
    assert workers == {f"ass{i}@demo.relais.example" for i in (1, 2, 3)}
    assert Person.objects.values("employer").distinct().count() == 3
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {"open", "active", "closed"}
    assert Intervention.objects.count() > 300
    assert Note.objects.filter(kind="assessment").exists()
    assert Goal.objects.exists()
    assert Task.objects.filter(done_at__isnull=True, due_on__lt=today).exists()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    assert Appointment.objects.filter(
        starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    ).exists()
    waiting = Request.objects.filter(status=enums.RequestStatus.WAITING)
    assert waiting.filter(assigned_to__isnull=True).exists()
    assert waiting.exclude(urgency=enums.Urgency.NORMAL).exists()
    assert {"granted", "under_review"} <= set(FinancialAid.objects.values_list("status", flat=True))
