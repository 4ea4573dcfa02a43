"""Forms of the partners pages: they validate at the edge and speak French."""

import datetime

from django import forms
from django.db import models
from django.utils import timezone

from relais.partners import enums, vocabulary
from relais.partners.models import Contact, Partner, PartnerService

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _https_urls(model_field, **kwargs):
    """Web addresses typed without a scheme are taken as https (Django 6's default)."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _checkboxes(choices, *, label, required=False, help_text="", initial=None):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        initial=initial,
    )


# --- Directory -------------------------------------------------------------------------


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label="Nom", required=False, max_length=100)
    thematique = forms.ChoiceField(label="Thématique", required=False)
    commune = forms.CharField(label="Commune ou code postal", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Type de partenaire",
        required=False,
        choices=[("", "Tous les types"), *enums.PartnerKind.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematique"].choices = [
            ("", "Toutes les thématiques"),
            *vocabulary.thematique_choices(),
        ]


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        formfield_callback = _https_urls
        fields = [
            "name",
            "kind",
            "description",
            "address",
            "address_complement",
            "postal_code",
            "city",
            "phone",
            "email",
            "website",
            "opening_hours",
            "siret",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "is_active": "Un partenaire inactif n'est plus proposé aux nouvelles orientations.",
        }


class PartnerServiceForm(forms.ModelForm):
    service_type = forms.ChoiceField(label="Type de service", required=False)
    thematiques = forms.MultipleChoiceField(
        label="Thématiques",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Le vocabulaire national data.inclusion : il sert à la recherche par thème.",
    )
    publics = forms.MultipleChoiceField(
        label="Publics", required=False, widget=forms.CheckboxSelectMultiple
    )
    modes_accueil = forms.MultipleChoiceField(
        label="Modes d'accueil", required=False, widget=forms.CheckboxSelectMultiple
    )
    fees = forms.ChoiceField(label="Frais", required=False)

    class Meta:
        model = PartnerService
        formfield_callback = _https_urls
        fields = [
            "name",
            "description",
            "service_type",
            "thematiques",
            "publics",
            "publics_details",
            "modes_accueil",
            "fees",
            "fees_details",
            "access_conditions",
            "address",
            "postal_code",
            "city",
            "phone",
            "email",
            "contact_name",
            "mobilisation_url",
            "opening_hours",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "access_conditions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", "—"), *vocabulary.choices("types_de_services")]
        self.fields["thematiques"].choices = [
            (group["label"], [(v["code"], v["label"]) for v in group["values"]])
            for group in vocabulary.thematique_groups()
        ]
        self.fields["publics"].choices = vocabulary.choices("publics")
        self.fields["modes_accueil"].choices = vocabulary.choices("modes_accueil")
        self.fields["fees"].choices = [("", "—"), *vocabulary.choices("frais")]

    def thematique_fieldsets(self):
        """The thématique checkboxes by group, one fieldset each on the page."""
        labels = vocabulary.thematique_group_labels()
        groups: dict[str, list] = {}
        for choice in self["thematiques"]:
            groups.setdefault(vocabulary.thematique_group(choice.data["value"]), []).append(choice)
        return [(labels[code], choices) for code, choices in groups.items()]

    def clean_thematiques(self):
        # Kept in the schema's order so that the page and the search index agree.
        order = list(vocabulary.thematique_labels())
        return sorted(self.cleaned_data["thematiques"], key=order.index)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "phone", "email", "notes", "is_active"]


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label="Format des fichiers",
        choices=enums.ImportFormat.choices,
        widget=forms.RadioSelect,
        initial=enums.ImportFormat.JSON,
    )
    structures = forms.FileField(
        label="Fichier des structures",
        required=False,
        help_text="Export data.inclusion « structures » (JSON ou CSV, 50 Mo au plus).",
    )
    services = forms.FileField(
        label="Fichier des services",
        required=False,
        help_text="Export data.inclusion « services » : leurs structures doivent être dans "
        "le fichier des structures ou déjà dans l'annuaire.",
    )

    def _clean_file(self, name):
        upload = self.cleaned_data.get(name)
        if upload and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Ce fichier dépasse 50 Mo : découpez-le.")
        return upload

    def clean_structures(self):
        return self._clean_file("structures")

    def clean_services(self):
        return self._clean_file("services")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("structures") and not cleaned.get("services"):
            raise forms.ValidationError("Choisissez au moins un fichier à importer.")
        return cleaned


# --- Referrals -------------------------------------------------------------------------

SHARED_ITEMS_HELP = (
    "Cochez seulement ce dont le partenaire a besoin pour traiter la demande : "
    "seules ces informations figureront dans le courrier."
)


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Service du partenaire",
        queryset=PartnerService.objects.none(),
        required=False,
        empty_label="Le partenaire en général",
    )
    contact = forms.ModelChoiceField(
        label="À l'attention de",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="Pas de contact particulier",
    )
    request = forms.CharField(
        label="Ce qui est demandé au partenaire",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Écrit pour être lu par la personne : elle peut demander à le voir.",
    )
    shared_items = _checkboxes(
        enums.SharedItem.choices,
        label="Informations transmises",
        help_text=SHARED_ITEMS_HELP,
        initial=[enums.SharedItem.IDENTITY],
    )
    expected_answer_on = forms.DateField(
        label="Réponse attendue le",
        required=False,
        widget=DateInput,
        help_text="Une tâche de relance sera créée à cette date quand l'orientation sera envoyée.",
    )

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = PartnerService.objects.filter(
            organisation_id=partner.organisation_id, partner=partner, is_active=True
        ).order_by("name")
        self.fields["contact"].queryset = Contact.objects.filter(
            organisation_id=partner.organisation_id, partner=partner, is_active=True
        ).order_by("name")
        if not self.fields["contact"].queryset.exists():
            del self.fields["contact"]

    def clean_expected_answer_on(self):
        day = self.cleaned_data["expected_answer_on"]
        if day and day < timezone.localdate():
            raise forms.ValidationError("Cette date est passée.")
        return day


class ConsentForm(forms.Form):
    informed = forms.BooleanField(
        label="J'ai informé la personne de ce qui sera transmis, à qui et pourquoi, "
        "et elle y consent.",
        error_messages={"required": "Le consentement suppose que la personne ait été informée."},
    )
    given_by = forms.ChoiceField(
        label="Consentement donné par",
        choices=enums.ConsentGiver.choices,
        widget=forms.RadioSelect,
        initial=enums.ConsentGiver.PERSON,
    )
    representative_name = forms.CharField(
        label="Nom du représentant légal", required=False, max_length=150
    )
    items = _checkboxes(
        enums.SharedItem.choices,
        label="Informations que la personne accepte de transmettre",
        required=True,
    )
    given_on = forms.DateField(label="Donné le", widget=DateInput)
    valid_until = forms.DateField(
        label="Valable jusqu'au",
        widget=DateInput,
        help_text="Au-delà, il faudra redemander l'accord de la personne.",
    )
    form = forms.ChoiceField(
        label="Forme", choices=enums.ConsentForm.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Précisions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Par exemple : ce que la personne ne souhaite pas voir transmis.",
    )

    def __init__(self, *args, referral, **kwargs):
        self.referral = referral
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "items": referral.shared_items,
                "given_on": today,
                "valid_until": today + datetime.timedelta(days=365),
                "form": enums.ConsentForm.ORAL,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Un consentement ne peut pas être daté de demain.")
        return day

    def clean(self):
        cleaned = super().clean()
        given_on, valid_until = cleaned.get("given_on"), cleaned.get("valid_until")
        if given_on and valid_until and valid_until < given_on:
            self.add_error("valid_until", "Cette date précède celle du consentement.")
        if (
            cleaned.get("given_by") == enums.ConsentGiver.LEGAL_REPRESENTATIVE
            and not cleaned.get("representative_name", "").strip()
        ):
            self.add_error("representative_name", "Indiquez qui a donné son accord.")
        items = set(cleaned.get("items") or [])
        missing = [
            enums.SharedItem(code).label for code in self.referral.shared_items if code not in items
        ]
        if "items" in cleaned and missing:
            self.add_error(
                "items",
                "L'orientation prévoit de transmettre des informations que ce consentement ne "
                f"couvre pas : {', '.join(missing)}. Décochez-les dans l'orientation, "
                "ou cochez-les ici si la personne est d'accord.",
            )
        return cleaned


class SendForm(forms.Form):
    sent_on = forms.DateField(label="Envoyée le", widget=DateInput)
    expected_answer_on = forms.DateField(
        label="Réponse attendue le",
        required=False,
        widget=DateInput,
        help_text="Une tâche vous rappellera de relancer le partenaire à cette date.",
    )
    emergency_reason = forms.CharField(
        label="Motif de l'envoi sans consentement (urgence)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Seulement si la situation ne permet pas d'attendre l'accord de la personne "
        "(danger, urgence vitale). Ce motif est conservé et la personne pourra le lire.",
    )

    def __init__(self, *args, referral, has_consent: bool, **kwargs):
        self.referral = referral
        self.has_consent = has_consent
        kwargs.setdefault(
            "initial",
            {"sent_on": timezone.localdate(), "expected_answer_on": referral.expected_answer_on},
        )
        super().__init__(*args, **kwargs)
        if has_consent:
            del self.fields["emergency_reason"]

    def clean_sent_on(self):
        day = self.cleaned_data["sent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Une orientation ne peut pas être envoyée demain.")
        if day < self.referral.prepared_on:
            raise forms.ValidationError("Cette date précède la préparation de l'orientation.")
        return day

    def clean(self):
        cleaned = super().clean()
        if not self.has_consent and not cleaned.get("emergency_reason", "").strip():
            self.add_error(
                "emergency_reason",
                "Sans consentement valable de la personne, l'orientation ne peut partir qu'en "
                "urgence : indiquez-en le motif, ou recueillez d'abord son consentement.",
            )
        sent_on, expected = cleaned.get("sent_on"), cleaned.get("expected_answer_on")
        if sent_on and expected and expected < sent_on:
            self.add_error("expected_answer_on", "Cette date précède l'envoi.")
        return cleaned


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label="Où en est la demande ?", widget=forms.RadioSelect)
    on = forms.DateField(label="Date", widget=DateInput)
    outcome = forms.CharField(
        label="Résultat, réponse du partenaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def __init__(self, *args, referral, **kwargs):
        self.referral = referral
        kwargs.setdefault("initial", {"on": timezone.localdate(), "outcome": referral.outcome})
        super().__init__(*args, **kwargs)
        allowed = referral.allowed_next_statuses() - {enums.ReferralStatus.SENT}
        self.fields["status"].choices = [
            (value, label) for value, label in enums.ReferralStatus.choices if value in allowed
        ]

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Cette date est à venir.")
        if self.referral.sent_on and day < self.referral.sent_on:
            raise forms.ValidationError("Cette date précède l'envoi de l'orientation.")
        return day


class LetterForm(forms.Form):
    text = forms.CharField(
        label="Texte du courrier",
        widget=forms.Textarea(attrs={"rows": 22}),
        max_length=20000,
        help_text="Relisez et modifiez si besoin : c'est ce texte qui sera imprimé.",
    )


class OutcomesForm(forms.Form):
    start = forms.DateField(label="Orientations préparées du", widget=DateInput)
    end = forms.DateField(label="au", widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "La fin de la période précède son début.")
        return cleaned
