"""Forms of collective actions: they validate at the edge with French messages; the
services then refuse what cannot be (wrong organisation, impossible transition)."""

from django import forms

from relais.accounts.enums import Role
from relais.accounts.models import Employer, Establishment, Team, User
from relais.cases.errors import ActionRefused
from relais.cases.forms import UserMultipleChoiceField, colleagues, datetime_field, now_local
from relais.cases.models import Concern
from relais.groups import enums, services
from relais.groups.models import SUMMARY_MAX_LENGTH
from relais.partners.models import Partner
from relais.people.forms import date_field
from relais.people.models import Person

# A period typed with a wrong year (0202, 9999) is a typing error, not a query.
EARLIEST_FILTER_YEAR, LATEST_FILTER_YEAR = 1990, 2100
DURATION_MESSAGE = "La durée doit être d'au moins une minute."
HEADCOUNT_MESSAGE = "Le nombre de participant·es ne peut pas être négatif."


def duration_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label="Durée (minutes)",
        min_value=1,
        max_value=7 * 24 * 60,
        error_messages={
            "min_value": DURATION_MESSAGE,
            "max_value": "Une action collective dure au plus une semaine : vérifiez la durée.",
            "invalid": "Indiquez la durée en minutes (un nombre entier).",
            "required": "Indiquez la durée de l'action.",
        },
        **kwargs,
    )


def headcount_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label="Nombre de participant·es",
        min_value=0,
        max_value=100_000,
        help_text="Un nombre, sans nom : la plupart des participant·es ne sont pas suivi·es.",
        error_messages={
            "min_value": HEADCOUNT_MESSAGE,
            "max_value": "Ce nombre semble erroné : vérifiez-le.",
            "invalid": "Indiquez un nombre entier.",
            "required": "Indiquez le nombre de participant·es.",
        },
        **kwargs,
    )


def summary_field() -> forms.CharField:
    return forms.CharField(
        label="Compte rendu",
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Quelques lignes factuelles sur le contenu et le déroulé, sans aucun nom ni "
        "information sur une personne.",
        error_messages={
            "max_length": f"Le compte rendu est limité à {SUMMARY_MAX_LENGTH} caractères "
            "(il en compte %(show_value)d). Votre texte est conservé ci-dessous.",
        },
    )


class GroupActionForm(forms.Form):
    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple « Réunion d'information sur le budget ».",
        error_messages={"required": "Donnez un intitulé à l'action."},
    )
    kind = forms.ChoiceField(label="Type d'action", choices=enums.GroupActionKind.choices)
    theme = forms.ModelChoiceField(
        label="Thème", queryset=Concern.objects.none(), required=False, empty_label="—"
    )
    starts_at = datetime_field(label="Date et heure")
    duration_minutes = duration_field(initial=90)
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    employer = forms.ModelChoiceField(
        label="Entreprise concernée",
        queryset=Employer.objects.none(),
        required=False,
        empty_label="—",
        help_text="Pour une action menée dans ou pour une entreprise adhérente.",
    )
    establishment = forms.ModelChoiceField(
        label="Établissement",
        queryset=Establishment.objects.none(),
        required=False,
        empty_label="—",
    )
    team = forms.ModelChoiceField(
        label="Équipe", queryset=Team.objects.none(), required=False, empty_label="—"
    )
    facilitators = UserMultipleChoiceField(
        label="Animé par",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un·e animateur·rice du service."},
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partenaires qui co-animent",
        queryset=Partner.objects.none(),
        required=False,
        help_text="Facultatif. Plusieurs choix possibles (Ctrl ou Cmd + clic).",
    )
    summary = summary_field()

    def __init__(self, *args, organisation_id: int, with_headcount: bool = False, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("starts_at", now_local())
        super().__init__(*args, **kwargs)
        org = organisation_id
        self.fields["theme"].queryset = Concern.objects.filter(
            organisation_id=org, parent__isnull=True, is_active=True
        ).order_by("position", "label")
        self.fields["employer"].queryset = Employer.objects.filter(organisation_id=org)
        self.fields["establishment"].queryset = Establishment.objects.filter(
            organisation_id=org
        ).select_related("employer")
        self.fields["team"].queryset = Team.objects.filter(organisation_id=org)
        workers = colleagues(org, [Role.SOCIAL_WORKER, Role.MANAGER])
        self.fields["facilitators"].queryset = User.objects.filter(
            pk__in=[user.pk for user in workers]
        ).order_by("last_name", "first_name")
        self.fields["partners"].queryset = Partner.objects.filter(
            organisation_id=org, is_active=True
        ).order_by("name")
        if with_headcount:
            self.fields["headcount"] = headcount_field()

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        try:
            services.check_starts_at(value)
        except ActionRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return value

    def clean(self):
        cleaned = super().clean()
        establishment, employer = cleaned.get("establishment"), cleaned.get("employer")
        if establishment is not None and establishment.employer_id != getattr(employer, "pk", None):
            self.add_error(
                "establishment", "Cet établissement n'appartient pas à l'entreprise choisie."
            )
        return cleaned


class MarkHeldForm(forms.Form):
    headcount = headcount_field()
    duration_minutes = duration_field(help_text="La durée réelle, si elle a changé.")
    summary = summary_field()


class ParticipationForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Personne suivie",
        queryset=Person.objects.none(),
        empty_label="—",
        help_text="Seulement les personnes dont vous suivez le dossier. Les autres "
        "participant·es ne sont que comptés.",
        error_messages={"required": "Choisissez la personne."},
    )
    attended = forms.BooleanField(label="A participé", required=False, initial=True)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["person"].label_from_instance = lambda person: person.full_name


class GroupActionFilterForm(forms.Form):
    debut = date_field(label="Du", required=False)
    fin = date_field(label="Au", required=False)
    theme = forms.ModelChoiceField(
        label="Thème", queryset=Concern.objects.none(), required=False, empty_label="Tous"
    )
    entreprise = forms.ModelChoiceField(
        label="Entreprise", queryset=Employer.objects.none(), required=False, empty_label="Toutes"
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Concern.objects.filter(
            organisation_id=organisation_id, parent__isnull=True
        ).order_by("position", "label")
        self.fields["entreprise"].queryset = Employer.objects.filter(
            organisation_id=organisation_id
        )
        for name in ("theme", "entreprise"):
            self.fields[name].to_field_name = "public_id"

    def _clean_day(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST_FILTER_YEAR <= value.year <= LATEST_FILTER_YEAR:
            raise forms.ValidationError("Vérifiez l'année de cette date.")
        return value

    def clean_debut(self):
        return self._clean_day("debut")

    def clean_fin(self):
        return self._clean_day("fin")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("debut"), cleaned.get("fin")
        if start and end and end < start:
            self.add_error("fin", "La fin de la période précède son début.")
        return cleaned
