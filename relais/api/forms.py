import datetime

from django import forms
from django.utils import timezone

MAX_VALIDITY_DAYS = 366 * 2


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="À quoi il sert, pour le reconnaître plus tard : « Agenda partagé »…",
    )
    expires_on = forms.DateField(
        label="Valable jusqu'au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Inclus. Laissez vide pour un jeton sans date de fin (déconseillé).",
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("La date est passée : choisissez aujourd'hui ou plus tard.")
        if day > today + datetime.timedelta(days=MAX_VALIDITY_DAYS):
            raise forms.ValidationError("Deux ans au plus : un jeton se renouvelle.")
        return day

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        # Valid through the whole chosen day, in the service's time zone.
        return timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        )
