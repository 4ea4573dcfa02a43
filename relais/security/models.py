"""What the security app stores: the shares of a case for supervision.

Login, second factor and lockout data live in django-otp and django-axes tables.
"""

from django.conf import settings
from django.db import models

from relais.accounts.models import TenantModel
from relais.crypto.fields import EncryptedTextField
from relais.policy.querysets import SupervisionShareQuerySet


class SupervisionShare(TenantModel):
    """A worker brings a situation to supervision: the supervisor sees it pseudonymised
    (initials, age band, the course of the support; no name, contact or employer)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="superviseur·e",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = EncryptedTextField(
        "ce que vous souhaitez travailler en supervision",
        blank=True,
        help_text=(
            "Lu par le ou la superviseur·e : écrivez sans nom, sans lieu, sans employeur, "
            "sans détail qui permettrait de reconnaître la personne."
        ),
    )
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField("jusqu'au")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SupervisionShareQuerySet.as_manager()

    class Meta:
        verbose_name = "partage pour supervision"
        verbose_name_plural = "partages pour supervision"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "public_id"], name="supervisionshare_public_id"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="supervisionshare_dates",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "supervisor", "ends_on"], name="supervision_supervisor"
            ),
            models.Index(fields=["organisation", "case"], name="supervision_case"),
        ]
