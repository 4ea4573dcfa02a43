import datetime

from django import forms
from django.utils import timezone

BREAK_GLASS_REASON_MIN = 15


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'accès exceptionnel",
        min_length=BREAK_GLASS_REASON_MIN,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Pourquoi devez-vous lire ce dossier aujourd'hui ? Par exemple : « absence de la "
            "référente, la personne appelle pour un rendez-vous urgent ». Restez factuel : "
            "le motif est lu par la référente et conservé dans le journal des accès."
        ),
        error_messages={
            "required": "Indiquez le motif : un accès exceptionnel se justifie.",
            "min_length": (
                "Précisez le motif (au moins %(limit_value)d caractères) : la référente le lira."
            ),
        },
    )


class SupervisionShareForm(forms.Form):
    supervisor = forms.ModelChoiceField(
        label="Superviseur·e",
        queryset=None,
        empty_label="Choisir…",
        error_messages={"required": "Choisissez le ou la superviseur·e."},
    )
    ends_on = forms.DateField(
        label="Partagé jusqu'au",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Au-delà, le ou la superviseur·e ne voit plus rien de cette situation.",
        error_messages={"required": "Indiquez jusqu'à quand.", "invalid": "Date invalide."},
    )
    question = forms.CharField(
        label="Ce que vous souhaitez travailler en supervision",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Lu par le ou la superviseur·e : écrivez sans nom, sans lieu, sans employeur, "
            "sans détail qui permettrait de reconnaître la personne."
        ),
    )

    MAX_DAYS = 92

    def __init__(self, *args, supervisors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = lambda user: user.display_name
        if not self.is_bound:
            self.initial.setdefault("ends_on", timezone.localdate() + datetime.timedelta(days=30))

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        today = timezone.localdate()
        if ends_on < today:
            raise forms.ValidationError("La date de fin est déjà passée.")
        if ends_on > today + datetime.timedelta(days=self.MAX_DAYS):
            raise forms.ValidationError(
                "Un partage pour supervision dure au plus trois mois : renouvelez-le si besoin."
            )
        return ends_on


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code à usage unique",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Saisissez le code."},
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split()).lower()
