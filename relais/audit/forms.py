from django import forms

from relais.audit.models import AccessAction


class AccessLogFilterForm(forms.Form):
    reader = forms.ModelChoiceField(
        label="Qui a consulté",
        queryset=None,
        required=False,
        empty_label="Tout le monde",
    )
    person = forms.CharField(
        label="Personne consultée",
        required=False,
        max_length=120,
        help_text="Nom, prénom ou nom de naissance, sans accents nécessaires.",
    )
    action = forms.ChoiceField(
        label="Type d'accès", required=False, choices=[("", "Tous"), *AccessAction.choices]
    )
    date_from = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date invalide."},
    )
    date_to = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date invalide."},
    )

    def __init__(self, *args, readers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reader"].queryset = readers
        self.fields["reader"].label_from_instance = lambda user: user.display_name
        self.fields["reader"].to_field_name = "public_id"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La date de fin précède la date de début.")
        return cleaned
