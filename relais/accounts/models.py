"""Organisations (the tenants), their teams, employers, and the people who log in."""

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from relais.accounts.enums import EmployerKind, OrganisationKind, Role


class Organisation(models.Model):
    """A social service: the tenant. Every personal-data row belongs to exactly one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de structure", max_length=32, choices=OrganisationKind)
    city = models.CharField("ville", max_length=120, blank=True)
    require_two_factor = models.BooleanField(
        "double authentification obligatoire",
        default=True,
        help_text="Exigée pour les rôles qui lisent le contenu des dossiers.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "service social"
        verbose_name_plural = "services sociaux"

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base of every tenant-owned table: the organisation column and an opaque public id.

    The organisation is on every row (not reached through joins) so that every query can
    be scoped by it and the tables can later be sharded by it (Citus).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Team(TenantModel):
    name = models.CharField("nom", max_length=120)

    class Meta:
        verbose_name = "équipe"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "public_id"], name="team_public_id"),
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name"),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Employer(TenantModel):
    """A company or public employer whose staff the service supports (for an SSIE: a client)."""

    name = models.CharField("raison sociale", max_length=200)
    kind = models.CharField("type d'employeur", max_length=32, choices=EmployerKind)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    headcount = models.PositiveIntegerField("effectif", null=True, blank=True)
    is_active = models.BooleanField("adhérent actif", default=True)

    class Meta:
        verbose_name = "employeur"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="employer_public_id"
            ),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Establishment(TenantModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="establishments")
    name = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    city = models.CharField("ville", max_length=120, blank=True)

    class Meta:
        verbose_name = "établissement"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="establishment_public_id"
            ),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.employer.name} — {self.name}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. What they may do comes from their membership, not from here."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


# What a page reads of a user to show their name (``display_name``).
USER_NAME_FIELDS = frozenset({"id", "first_name", "last_name", "email"})


def only_user_name(relation: str) -> list[str]:
    """``defer()`` arguments that leave, of the user reached through ``relation``
    (``select_related("author")``), only the name: lists that show who wrote or did each
    row skip converting the password, dates and flags of every user of every row (about
    20 µs a row on the case page's timeline). Reading another field of such a user costs
    a query: keep these lists to names."""
    return [
        f"{relation}__{field.name}"
        for field in User._meta.concrete_fields
        if field.name not in USER_NAME_FIELDS
    ]


class Membership(TenantModel):
    """Ties a user to one organisation with one role.

    A person working for two services holds two accounts: nothing in the data model
    lets a session cross organisations.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField("rôle", max_length=32, choices=Role)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="viewers",
        help_text="Pour le rôle employeur / CSE : l'entreprise dont il voit les statistiques.",
    )
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "appartenance"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="membership_public_id"
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.EMPLOYER_VIEWER) | models.Q(employer__isnull=False),
                name="employer_viewer_has_employer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"
