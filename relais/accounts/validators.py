from django.core.exceptions import ValidationError


class CharacterClassesValidator:
    """CNIL recommendation for a 12-character password: mix letters, digits and symbols.

    At least three of the four classes (lower case, upper case, digits, other symbols).
    """

    required_classes = 3

    def _classes(self, password: str) -> int:
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self._classes(password) < self.required_classes:
            raise ValidationError(
                "Le mot de passe doit mélanger au moins trois types de caractères parmi : "
                "minuscules, majuscules, chiffres et symboles.",
                code="password_too_simple",
            )

    def get_help_text(self):
        return (
            "Votre mot de passe doit mélanger au moins trois types de caractères parmi : "
            "minuscules, majuscules, chiffres et symboles."
        )
