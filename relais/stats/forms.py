"""Filters (read from the URL, so that a view can be bookmarked) and the settings form."""

import datetime
import itertools

from django import forms
from django.utils import timezone

from relais.stats.models import MINIMUM_SMALL_CELL_THRESHOLD
from relais.stats.selectors import Period

QUARTERS = [
    ("", "Toute l'année"),
    ("1", "1er trimestre"),
    ("2", "2e trimestre"),
    ("3", "3e trimestre"),
    ("4", "4e trimestre"),
]
SCOPES = [("service", "Tout le service"), ("moi", "Mes accompagnements")]
MAX_PERIOD_DAYS = 10 * 366
FIRST_YEAR = 2000


def quarter_period(year: int, quarter: int | None) -> Period:
    if not quarter:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    start = datetime.date(year, 3 * quarter - 2, 1)
    next_start = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    )
    return Period(start, next_start - datetime.timedelta(days=1))


def period_title(year: int, quarter: int | None) -> str:
    if not quarter:
        return f"Année {year}"
    return f"{'1er' if quarter == 1 else f'{quarter}e'} trimestre {year}"


class PeriodFields(forms.Form):
    """A calendar year or one of its quarters: the grid of the activity reports."""

    annee = forms.IntegerField(
        label="Année",
        required=False,
        min_value=FIRST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    trimestre = forms.ChoiceField(label="Trimestre", choices=QUARTERS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].widget.attrs["max"] = timezone.localdate().year + 1

    def clean_annee(self) -> int:
        year = self.cleaned_data["annee"]
        if year is None:
            return timezone.localdate().year
        if year > timezone.localdate().year + 1:
            raise forms.ValidationError("Choisissez une année passée ou en cours.")
        return year

    def period_and_title(self) -> tuple[Period, str]:
        year = self.cleaned_data["annee"]
        quarter = int(self.cleaned_data["trimestre"]) if self.cleaned_data["trimestre"] else None
        return quarter_period(year, quarter), period_title(year, quarter)


class StatisticsFilterForm(PeriodFields):
    """The statistics page's filters. Which fields exist depends on who is looking."""

    debut = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Période libre : remplace l'année et le trimestre.",
    )
    fin = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    equipe = forms.ChoiceField(label="Équipe", required=False)
    employeur = forms.ChoiceField(label="Employeur", required=False)
    etablissement = forms.ChoiceField(label="Établissement", required=False)
    perimetre = forms.ChoiceField(label="Chiffres de", choices=SCOPES, required=False)

    def __init__(
        self,
        *args,
        teams=None,
        employers=None,
        establishments=None,
        free_period: bool = True,
        own_scope: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.establishment_employer = {}
        if not free_period:
            del self.fields["debut"], self.fields["fin"]
        if not own_scope:
            del self.fields["perimetre"]
        for name, options, empty in (
            ("equipe", teams, "Toutes les équipes"),
            ("employeur", employers, "Tous les employeurs"),
            ("etablissement", establishments, "Tous les établissements"),
        ):
            if options is None:
                del self.fields[name]
            else:
                self.fields[name].choices = [("", empty)] + [(o.key, o.label) for o in options]
        if establishments:
            self.establishment_employer = {o.key: o.parent for o in establishments}
        if "equipe" in self.fields:
            self.fields["equipe"].help_text = (
                "Seules les équipes d'au moins deux assistant·es sont proposées : les "
                "statistiques ne décrivent jamais une seule personne qui travaille."
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("debut"), data.get("fin")
        if start and not end:
            self.add_error("fin", "Indiquez aussi la fin de la période.")
        elif end and not start:
            self.add_error("debut", "Indiquez aussi le début de la période.")
        elif start and end:
            if end < start:
                self.add_error("fin", "La fin de la période doit suivre son début.")
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("fin", "La période ne peut dépasser dix ans.")
        establishment, employer = data.get("etablissement"), data.get("employeur")
        if (
            establishment
            and employer
            and self.establishment_employer.get(establishment) != employer
        ):
            self.add_error(
                "etablissement", "Cet établissement n'appartient pas à l'employeur choisi."
            )
        return data

    def period_and_title(self) -> tuple[Period, str]:
        start, end = self.cleaned_data.get("debut"), self.cleaned_data.get("fin")
        if start and end:
            period = Period(start, end)
            return period, f"Période {period.label}"
        return super().period_and_title()


class ReportForm(PeriodFields):
    """The activity report for a client company / the CSE: a quarter or a year."""

    employeur = forms.ChoiceField(label="Entreprise", required=False)

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employers is None:
            del self.fields["employeur"]
        else:
            self.fields["employeur"].choices = [("", "Tout le service")] + [
                (o.key, o.label) for o in employers
            ]


class StatisticsSettingsForm(forms.Form):
    age_band_starts = forms.CharField(
        label="Tranches d'âge",
        help_text=(
            "L'âge où commence chaque tranche, séparés par des virgules. « 20, 31, 41, 51 » "
            "donne : moins de 20 ans, 20 à 30 ans, 31 à 40 ans, 41 à 50 ans, 51 ans et plus."
        ),
    )
    small_cell_threshold = forms.IntegerField(
        label="Seuil de secret statistique",
        min_value=MINIMUM_SMALL_CELL_THRESHOLD,
        max_value=50,
        help_text=(
            "Une case qui décrit moins de personnes que ce seuil est masquée (au moins "
            f"{MINIMUM_SMALL_CELL_THRESHOLD})."
        ),
    )

    def clean_age_band_starts(self) -> list[int]:
        text = self.cleaned_data["age_band_starts"]
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        try:
            starts = [int(p) for p in parts]
        except ValueError:
            raise forms.ValidationError(
                "Écrivez des âges en nombres entiers séparés par des virgules, par exemple "
                "« 20, 31, 41, 51 »."
            ) from None
        if not starts:
            raise forms.ValidationError("Indiquez au moins un âge.")
        if len(starts) > 12:
            raise forms.ValidationError("Douze tranches au plus.")
        if any(s < 0 or s > 120 for s in starts):
            raise forms.ValidationError("Les âges vont de 0 à 120 ans.")
        if any(b <= a for a, b in itertools.pairwise(starts)):
            raise forms.ValidationError("Les âges doivent aller en croissant, sans doublon.")
        return starts
