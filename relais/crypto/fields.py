from django.db import models

from relais.crypto import keyring


class EncryptedTextField(models.TextField):
    """Free text encrypted at rest with the row's organisation data key.

    The model must have an ``organisation`` foreign key. Encryption happens in
    ``pre_save`` (where the row, hence its organisation, is known); any other path that
    would write plaintext (``bulk_update``, ``update()``, filtering) is refused, because an
    encrypted column cannot be searched and must never receive clear text.
    """

    description = "Texte chiffré"

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value in (None, "") or isinstance(value, keyring.Ciphertext):
            return value
        return keyring.encrypt(model_instance.organisation_id, str(value))

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return keyring.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, "") or isinstance(value, keyring.Ciphertext):
            return value
        raise ValueError(
            f"{self.name} est chiffré : il ne s'enregistre que par save() ou bulk_create(), "
            "et ne peut pas servir de filtre."
        )
