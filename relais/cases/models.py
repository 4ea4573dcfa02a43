"""The social file: requests, cases, interventions, notes, plans, tasks, appointments, aid.

Writes go through ``relais.cases.services``; reads of personal data through the policy
querysets (``Case.objects.visible_to(user)``).
"""

from django.conf import settings
from django.db import models

from relais.accounts.models import Team, TenantModel
from relais.cases import enums
from relais.crypto.fields import EncryptedTextField
from relais.people.models import Person
from relais.policy.querysets import (
    AppointmentQuerySet,
    CaseQuerySet,
    CaseScopedQuerySet,
    NoteQuerySet,
    RequestQuerySet,
    TaskQuerySet,
)

User = settings.AUTH_USER_MODEL

# Free texts (notes, summaries, reviews) are capped: a note is read by a person, not a
# document store, and a pasted 10 MB text must get a clear message, not a slow page.
LONG_TEXT_MAX_LENGTH = 20_000


def _public_id(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["organisation", "public_id"], name=f"{name}_public_id")


class Concern(TenantModel):
    """A reason for support ("problématique"), two levels; seeded as data, renamable."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.SlugField("code", max_length=80)
    label = models.CharField("libellé", max_length=150)
    datainclusion_thematique = models.CharField(
        "thématique data.inclusion",
        max_length=120,
        blank=True,
        help_text="Correspondance avec le vocabulaire national des services partenaires.",
    )
    workplace_only = models.BooleanField("propre au service social du travail", default=False)
    is_active = models.BooleanField("actif", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "problématique"
        constraints = [
            _public_id("concern"),
            models.UniqueConstraint(fields=["organisation", "code"], name="concern_code"),
        ]
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Case(TenantModel):
    """An accompaniment of one person: open → active → closed (with a reason), reopenable."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        "statut", max_length=16, choices=enums.CaseStatus, default=enums.CaseStatus.OPEN
    )
    opened_on = models.DateField("ouvert le")
    closed_on = models.DateField("clos le", null=True, blank=True)
    closing_reason = models.CharField(
        "motif de clôture", max_length=32, choices=enums.CaseClosingReason, blank=True
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True)
    referents = models.ManyToManyField(
        User, through="CaseReferent", through_fields=("case", "user"), related_name="+"
    )
    concerns = models.ManyToManyField(Concern, through="CaseConcern", related_name="+")
    last_activity_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "accompagnement"
        constraints = [_public_id("case")]
        indexes = [
            models.Index(fields=["organisation", "person"], name="case_person"),
            models.Index(fields=["organisation", "status", "opened_on"], name="case_status"),
            models.Index(fields=["organisation", "opened_on"], name="case_opened"),
            models.Index(fields=["organisation", "closed_on"], name="case_closed"),
        ]

    def __str__(self) -> str:
        return f"Accompagnement de {self.person}"

    @property
    def is_closed(self) -> bool:
        return self.status == enums.CaseStatus.CLOSED


class CaseReferent(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referent_links")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    is_primary = models.BooleanField("référent·e principal·e", default=True)
    # A copy of "the case is not closed", kept by the services that close and reopen a case,
    # so that a worker's caseload is read from her open links alone: after a few years most
    # of her links are closed cases (800 of 860 in the benchmark), and PostgreSQL joined
    # them by scanning every case of the organisation.
    case_open = models.BooleanField(default=True, editable=False)
    # A copy of the case's opening date (written once, when the case is opened), so that
    # "her cases opened recently" (the home page) is read from her links alone: PostgreSQL
    # otherwise walked the organisation's cases by date until it met five of hers.
    case_opened_on = models.DateField(editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case", "user"], name="casereferent_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "user", "case"], name="referent_user"),
            # case_open last: when SQLite has no statistics on this table yet, its planner
            # may take this index for the caseload (open links) too; it then still reads
            # the index alone instead of each link's row.
            models.Index(
                fields=["organisation", "user", "-case_opened_on", "-case", "case_open"],
                name="referent_user_opened",
            ),
            models.Index(
                fields=["organisation", "user", "case"],
                condition=models.Q(case_open=True),
                name="referent_user_open",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.case_opened_on is None:
            self.case_opened_on = self.case.opened_on
        super().save(*args, **kwargs)


class CaseConcern(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case", "concern"], name="caseconcern_unique"
            )
        ]


class CaseShare(TenantModel):
    """A referent lets a colleague see the case for a while (absence, continuity)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    shared_with = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("motif", max_length=250)
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField("jusqu'au")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "partage"
        constraints = [_public_id("caseshare")]
        indexes = [
            models.Index(fields=["organisation", "shared_with", "ends_on"], name="share_user")
        ]


class BreakGlassAccess(TenantModel):
    """An exceptional read of a case by someone who is not its referent: reason, logged,
    shown to the referents, limited in time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass_reads")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif")
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "accès exceptionnel"
        constraints = [_public_id("breakglass")]
        indexes = [
            models.Index(fields=["organisation", "user", "expires_at"], name="breakglass_user")
        ]


class Request(TenantModel):
    """A request received at intake ("demande"): becomes a case or is closed with a reason."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="requests")
    origin = models.CharField("qui fait la demande", max_length=32, choices=enums.RequestOrigin)
    channel = models.CharField("canal", max_length=16, choices=enums.RequestChannel)
    received_on = models.DateField("reçue le")
    urgency = models.CharField(
        "urgence", max_length=16, choices=enums.Urgency, default=enums.Urgency.NORMAL
    )
    summary = EncryptedTextField("résumé de la demande", blank=True)
    concerns = models.ManyToManyField(Concern, through="RequestConcern", related_name="+")
    status = models.CharField(
        "statut", max_length=16, choices=enums.RequestStatus, default=enums.RequestStatus.WAITING
    )
    closing_reason = models.CharField(
        "motif de clôture", max_length=32, choices=enums.RequestClosingReason, blank=True
    )
    closed_on = models.DateField(null=True, blank=True)
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="confiée à",
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande"
        constraints = [_public_id("request")]
        indexes = [
            models.Index(fields=["organisation", "status", "received_on"], name="request_status"),
            models.Index(fields=["organisation", "assigned_to", "status"], name="request_assigned"),
        ]


class RequestConcern(TenantModel):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="+")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "request", "concern"], name="requestconcern_unique"
            )
        ]


class Intervention(TenantModel):
    """One piece of work with or for the person: recorded once, used everywhere."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField("type", max_length=16, choices=enums.InterventionKind)
    occurred_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=0)
    place = models.CharField("lieu", max_length=150, blank=True)
    participants = models.CharField(
        "autres participants",
        max_length=250,
        blank=True,
        help_text="Fonction plutôt que nom : « conjointe », « médecin du travail ».",
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    concerns = models.ManyToManyField(Concern, through="InterventionConcern", related_name="+")

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "intervention"
        constraints = [_public_id("intervention")]
        indexes = [
            models.Index(fields=["organisation", "case", "-occurred_at"], name="intervention_case"),
            # Covers the statistics of a period (kind, time spent, case) without reading rows.
            models.Index(
                fields=["organisation", "occurred_at", "kind", "duration_minutes", "case"],
                name="intervention_period",
            ),
        ]
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.occurred_at:%d/%m/%Y}"


class InterventionConcern(TenantModel):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="+")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "intervention", "concern"],
                name="interventionconcern_unique",
            )
        ]


class Note(TenantModel):
    """Written as if the person will read it: they may ask to."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        "nature", max_length=16, choices=enums.NoteKind, default=enums.NoteKind.FACT
    )
    body = EncryptedTextField("texte")
    shared_with = models.ManyToManyField(
        User, through="NoteShare", through_fields=("note", "user"), related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = "note"
        constraints = [_public_id("note")]
        indexes = [models.Index(fields=["organisation", "case", "-created_at"], name="note_case")]
        ordering = ["-created_at"]


class NoteShare(TenantModel):
    """A colleague the author names as able to read an assessment note."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="share_links")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "note", "user"], name="noteshare_unique"
            )
        ]


class SupportPlan(TenantModel):
    """The personalised support plan, built with the person."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    started_on = models.DateField("élaboré le")
    review_on = models.DateField("bilan prévu le", null=True, blank=True)
    reviewed_on = models.DateField("bilan fait le", null=True, blank=True)
    review = EncryptedTextField("bilan", blank=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "plan d'accompagnement"
        constraints = [_public_id("plan")]
        indexes = [models.Index(fields=["organisation", "case"], name="plan_case")]
        ordering = ["-started_on"]


class Goal(TenantModel):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals")
    person_words = EncryptedTextField(
        "l'objectif avec les mots de la personne",
        help_text="Ce que la personne veut obtenir, dit par elle.",
    )
    worker_wording = EncryptedTextField("reformulation professionnelle", blank=True)
    status = models.CharField(
        "statut", max_length=16, choices=enums.GoalStatus, default=enums.GoalStatus.PLANNED
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "objectif"
        constraints = [_public_id("goal")]
        ordering = ["position", "id"]


class Action(TenantModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField("action", max_length=250)
    owner = models.CharField("qui", max_length=16, choices=enums.ActionOwner)
    partner_name = models.CharField("partenaire", max_length=150, blank=True)
    due_on = models.DateField("pour le", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=16, choices=enums.ActionStatus, default=enums.ActionStatus.TODO
    )
    done_on = models.DateField("fait le", null=True, blank=True)

    class Meta:
        verbose_name = "action"
        constraints = [_public_id("action")]
        ordering = ["due_on", "id"]


class FollowUpRule(TenantModel):
    """A usual follow-up, created as a task when its trigger happens (per organisation)."""

    code = models.SlugField(
        "code",
        max_length=80,
        blank=True,
        help_text="Pour les règles livrées avec Relais ; vide pour une règle créée par le service.",
    )
    trigger = models.CharField("déclencheur", max_length=32, choices=enums.FollowUpTrigger)
    concern = models.ForeignKey(
        Concern,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="seulement pour la problématique",
    )
    urgency = models.CharField(
        "seulement pour l'urgence", max_length=16, choices=enums.Urgency, blank=True
    )
    delay_days = models.PositiveSmallIntegerField("délai (jours)")
    task_title = models.CharField("tâche à créer", max_length=200)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "règle de suivi"
        verbose_name_plural = "règles de suivi"
        constraints = [
            _public_id("followuprule"),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~models.Q(code=""),
                name="followuprule_code",
            ),
        ]

    def __str__(self) -> str:
        return self.task_title


class Task(TenantModel):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    assignee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("tâche", max_length=200)
    due_on = models.DateField("échéance")
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    rule = models.ForeignKey(
        FollowUpRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A follow-up of a request not yet turned into a case (e.g. "call back within 48 h").
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche"
        constraints = [_public_id("task")]
        indexes = [
            models.Index(
                fields=["organisation", "assignee", "done_at", "due_on"], name="task_todo"
            ),
            models.Index(fields=["organisation", "case", "due_on"], name="task_case"),
        ]
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.title


class Appointment(TenantModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    worker = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="avec"
    )
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=45)
    kind = models.CharField("type", max_length=16, choices=enums.InterventionKind)
    place = models.CharField("lieu", max_length=150, blank=True)
    status = models.CharField(
        "statut",
        max_length=16,
        choices=enums.AppointmentStatus,
        default=enums.AppointmentStatus.PLANNED,
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    intervention = models.OneToOneField(
        Intervention, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    # The first appointment booked at intake, before any case exists.
    request = models.ForeignKey(
        Request, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        constraints = [_public_id("appointment")]
        indexes = [
            models.Index(fields=["organisation", "worker", "starts_at"], name="appointment_worker"),
            models.Index(fields=["organisation", "person", "starts_at"], name="appointment_person"),
            # The case page's appointments, newest or next first (without it SQLite read
            # them through the intervention link, 7 ms for a small case at 100,000 persons).
            models.Index(fields=["organisation", "case", "starts_at"], name="appointment_case"),
        ]
        ordering = ["starts_at"]


class FinancialAid(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="aids")
    kind = models.CharField("type d'aide", max_length=32, choices=enums.AidKind)
    funder = models.CharField("financeur", max_length=150)
    amount_requested = models.DecimalField("montant demandé", max_digits=9, decimal_places=2)
    amount_granted = models.DecimalField(
        "montant accordé", max_digits=9, decimal_places=2, null=True, blank=True
    )
    purpose = models.CharField("objet", max_length=250, blank=True)
    requested_on = models.DateField("demandée le")
    committee_on = models.DateField("commission le", null=True, blank=True)
    decided_on = models.DateField("décision le", null=True, blank=True)
    status = models.CharField(
        "statut",
        max_length=32,
        choices=enums.AidStatus,
        default=enums.AidStatus.AWAITING_DOCUMENTS,
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "aide financière"
        constraints = [
            _public_id("financialaid"),
            models.CheckConstraint(
                condition=models.Q(amount_requested__gte=0), name="aid_requested_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_granted__isnull=True) | models.Q(amount_granted__gte=0),
                name="aid_granted_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "case"], name="aid_case"),
            models.Index(fields=["organisation", "requested_on"], name="aid_date"),
        ]
