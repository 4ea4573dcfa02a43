"""Personal API tokens: a user lends their own rights to a program, never more.

The secret is shown once; only its SHA-256 digest is stored. A slow hash is not needed:
the secret is 256 random bits, so the digest cannot be reversed by guessing.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from relais.accounts.models import TenantModel

TOKEN_PREFIX = "rls_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(TenantModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        "nom",
        max_length=100,
        help_text="À quoi sert ce jeton : « Agenda partagé », « Entrepôt de données »…",
    )
    # The first characters of the secret, to recognise a token in the list.
    hint = models.CharField(max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    # Fixed-window rate counter, updated in one UPDATE per request (see throttling.py).
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "public_id"], name="apitoken_public_id")
        ]
        indexes = [models.Index(fields=["organisation", "user"], name="apitoken_user")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def last_valid_day(self) -> datetime.date | None:
        """The last day the token works, in the service's time zone."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - datetime.timedelta(microseconds=1)).date()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
