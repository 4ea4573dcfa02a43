"""Collective actions (actions collectives): information meetings, workshops, discussion
groups, prevention actions, outings, run by the service's workers for a group.

Most attendees are not followed persons: they are counted, never named (minimisation).
A worker may link a person who already has a file (``Participation``); that link is
personal data and is seen only through the policy (``Participation.objects.visible_to``).

Writes go through ``relais.groups.services``; reads through the policy querysets.
"""

from django.conf import settings
from django.db import models

from relais.accounts.models import Employer, Establishment, Team, TenantModel
from relais.cases.models import Concern
from relais.crypto.fields import EncryptedTextField
from relais.groups import enums
from relais.partners.models import Partner
from relais.people.models import Person
from relais.policy.querysets import GroupActionQuerySet, ParticipationQuerySet

User = settings.AUTH_USER_MODEL

SUMMARY_MAX_LENGTH = 4_000


def _public_id(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["organisation", "public_id"], name=f"{name}_public_id")


class GroupAction(TenantModel):
    title = models.CharField("intitulé", max_length=200)
    theme = models.ForeignKey(
        Concern,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="thème",
        help_text="Une problématique de premier niveau du service (budget, logement, handicap…).",
    )
    kind = models.CharField("type d'action", max_length=32, choices=enums.GroupActionKind)
    starts_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveIntegerField("durée (minutes)")
    place = models.CharField("lieu", max_length=200, blank=True)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="entreprise concernée",
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="établissement",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="équipe",
    )
    facilitators = models.ManyToManyField(
        User,
        through="GroupActionFacilitator",
        through_fields=("group_action", "user"),
        related_name="+",
    )
    partners = models.ManyToManyField(Partner, through="GroupActionPartner", related_name="+")
    headcount = models.PositiveIntegerField(
        "nombre de participant·es",
        null=True,
        blank=True,
        help_text="Un nombre, sans nom : la plupart des participant·es ne sont pas suivi·es.",
    )
    summary = EncryptedTextField(
        "compte rendu",
        blank=True,
        help_text="Quelques lignes factuelles sur le contenu et le déroulé, sans aucun nom "
        "ni information sur une personne.",
    )
    status = models.CharField(
        "statut",
        max_length=16,
        choices=enums.GroupActionStatus,
        default=enums.GroupActionStatus.PLANNED,
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = GroupActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action collective"
        verbose_name_plural = "actions collectives"
        constraints = [
            _public_id("groupaction"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="groupaction_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(headcount__isnull=True) | models.Q(headcount__gte=0),
                name="groupaction_headcount_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-starts_at"], name="groupaction_date"),
            # The figures of a period: held actions, by date, without reading other rows.
            models.Index(fields=["organisation", "status", "starts_at"], name="groupaction_status"),
        ]
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_planned(self) -> bool:
        return self.status == enums.GroupActionStatus.PLANNED


class GroupActionFacilitator(TenantModel):
    """A worker of the service who runs the action."""

    group_action = models.ForeignKey(
        GroupAction, on_delete=models.CASCADE, related_name="facilitator_links"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group_action", "user"],
                name="groupactionfacilitator_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "user", "group_action"], name="groupaction_facilitator"
            )
        ]


class GroupActionPartner(TenantModel):
    """A partner of the directory who co-facilitates the action."""

    group_action = models.ForeignKey(
        GroupAction, on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group_action", "partner"], name="groupactionpartner_unique"
            )
        ]


class Participation(TenantModel):
    """A followed person a worker chose to link to the action (personal data)."""

    group_action = models.ForeignKey(
        GroupAction, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField("a participé", default=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = "participation"
        constraints = [
            _public_id("participation"),
            models.UniqueConstraint(
                fields=["organisation", "group_action", "person"], name="participation_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "person"], name="participation_person"),
        ]
