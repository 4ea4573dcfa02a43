"""Forms for persons and households. Plain forms (not ModelForms): validating must not
change the person before the service records its "before"."""

import datetime

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone

from relais.accounts.models import Employer, Establishment
from relais.people import enums
from relais.people.models import (
    HOUSEHOLD_MEMBER_FIELDS,
    IDENTITY_FIELDS,
    SITUATION_FIELDS,
    HouseholdMember,
    Person,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
OLDEST_BIRTH_DATE = datetime.date(1900, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(**kwargs) -> forms.DateField:
    return forms.DateField(widget=DateInput(), input_formats=DATE_INPUT_FORMATS, **kwargs)


def _formfield(field: models.Field, **kwargs):
    if isinstance(field, models.DateField):
        return field.formfield(widget=DateInput(), input_formats=DATE_INPUT_FORMATS, **kwargs)
    if field.choices and field.blank:
        # Optional lists start with an empty choice that says so.
        formfield = field.formfield(**kwargs)
        formfield.choices = [("", "—")] + [c for c in formfield.choices if c[0] != ""]
        return formfield
    return field.formfield(**kwargs)


def check_birth_date(value: datetime.date | None) -> datetime.date | None:
    if value is None:
        return value
    if value > timezone.localdate():
        raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
    if value < OLDEST_BIRTH_DATE:
        raise forms.ValidationError("Vérifiez l'année de naissance.")
    return value


class _ModelFieldsForm(forms.Form):
    model: type[models.Model]
    field_names: tuple[str, ...]

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(instance, fields=self.field_names)
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(self.model, fields=self.field_names, formfield_callback=_formfield)
        )

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_names}


class PersonIdentityForm(_ModelFieldsForm):
    model = Person
    field_names = IDENTITY_FIELDS

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(
            organisation_id=organisation_id, is_active=True
        )
        self.fields["establishment"].queryset = Establishment.objects.filter(
            organisation_id=organisation_id
        ).select_related("employer")
        self.fields["birth_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"

    def clean_birth_date(self):
        return check_birth_date(self.cleaned_data.get("birth_date"))

    def clean(self):
        cleaned = super().clean()
        employer, establishment = cleaned.get("employer"), cleaned.get("establishment")
        if establishment and employer and establishment.employer_id != employer.pk:
            self.add_error("establishment", "Cet établissement n'est pas de l'employeur choisi.")
        if establishment and not employer:
            cleaned["employer"] = establishment.employer
        return cleaned


class PersonCreateForm(PersonIdentityForm):
    confirm_new = forms.BooleanField(
        required=False,
        label="Aucune de ces personnes : créer une nouvelle fiche",
    )


class PersonSituationForm(_ModelFieldsForm):
    model = Person
    field_names = SITUATION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["income_sources"] = forms.MultipleChoiceField(
            label="Sources de revenus",
            choices=enums.IncomeSource.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=Person._meta.get_field("income_sources").help_text,
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("hired_on", "work_situation_since"):
            value = cleaned.get(name)
            if value and value > timezone.localdate() + datetime.timedelta(days=366):
                self.add_error(name, "Cette date est trop loin dans le futur.")
        return cleaned


class HouseholdMemberForm(_ModelFieldsForm):
    model = HouseholdMember
    field_names = HOUSEHOLD_MEMBER_FIELDS

    def clean_birth_date(self):
        return check_birth_date(self.cleaned_data.get("birth_date"))


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Nom, nom de naissance, date de naissance ou employeur",
        max_length=120,
        required=False,
        help_text="Par exemple « helene dupont », « 14/03/1980 » ou « Transports Garonne ». "
        "Les accents et les majuscules ne comptent pas.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
