"""Drafts of long texts being typed, kept so that a session timeout loses nothing.

The page saves what is typed every few seconds (static/js/drafts.js); after a new login the
same form gets it back. Drafts are encrypted like notes, belong to one user, are removed
when the form is sent successfully, and expire after DRAFT_LIFETIME.
"""

import datetime

from django.conf import settings
from django.db import models

from relais.accounts.models import TenantModel
from relais.crypto.fields import EncryptedTextField

DRAFT_LIFETIME = datetime.timedelta(days=7)


class Draft(TenantModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The page's path and the field's name: "/dossiers/<uuid>/entretiens/nouveau/#note_body".
    key = models.CharField(max_length=300)
    text = EncryptedTextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "public_id"], name="draft_public_id"),
            models.UniqueConstraint(fields=["organisation", "user", "key"], name="draft_key"),
        ]
        indexes = [models.Index(fields=["organisation", "updated_at"], name="draft_updated")]
