from django.db import models

from relais.accounts.models import Organisation


class NameWord(models.Model):
    """A word of the persons' names (``search_name``) of one organisation.

    The vocabulary the person search corrects typos against (a few thousand words, where
    the names themselves are a hundred thousand rows): the one-edit variants of a typed
    word are looked up here, and on PostgreSQL pg_trgm proposes the similar words. Filled
    by a trigger on ``people_person`` (PostgreSQL: migration 0003; SQLite: 0005); a word
    that is no longer used only costs an index entry. Holds no link to a person.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "word"], name="nameword_unique")
        ]

    def __str__(self) -> str:
        return self.word
