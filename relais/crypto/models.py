from django.db import models

from relais.accounts.models import Organisation


class DataKey(models.Model):
    """An organisation's data key, stored only wrapped (encrypted) by a master key.

    The master keys live outside the database (environment or key file), so a copy of
    the database alone reveals no note. New writes use the organisation's newest key;
    older keys stay to read what they encrypted.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-id"], name="datakey_org_newest")]

    def __str__(self) -> str:
        return f"Clé {self.pk} ({self.organisation_id})"
