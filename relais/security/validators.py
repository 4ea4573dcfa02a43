"""A password made of a common French word with digits or symbols around it is weak,
whatever its length (``Marseille2026!``): refused, in French."""

import re
import unicodedata
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

LIST = Path(__file__).parent / "data" / "common_passwords_fr.txt"


@cache
def _common_bases() -> frozenset[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


class FrenchCommonPasswordValidator:
    def validate(self, password, user=None):
        if _letters(password) in _common_bases():
            raise ValidationError(
                "Ce mot de passe repose sur un mot trop courant (même avec des chiffres ou "
                "des symboles autour) : choisissez plutôt une phrase de plusieurs mots.",
                code="password_too_common_fr",
            )

    def get_help_text(self):
        return (
            "Votre mot de passe ne peut pas reposer sur un mot courant comme « azerty » ou "
            "« motdepasse » : une phrase de plusieurs mots est plus sûre et plus facile à retenir."
        )
