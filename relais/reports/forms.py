from django import forms
from django.utils import timezone

from relais.reports import enums

MARKDOWN_HELP = (
    "Mise en forme simple : **gras**, *italique*, une ligne commençant par « - » pour une "
    "liste, une ligne vide entre deux paragraphes."
)


class ReportCreateForm(forms.Form):
    template = forms.ChoiceField(label="Type d'écrit", widget=forms.RadioSelect)
    title = forms.CharField(
        label="Titre",
        max_length=200,
        required=False,
        help_text="Facultatif : par défaut, le type d'écrit et le nom de la personne.",
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(t.public_id): t for t in templates}
        self.fields["template"].choices = [(str(t.public_id), t.name) for t in templates]

    def clean_template(self):
        return self.templates[self.cleaned_data["template"]]


def _textarea(rows: int = 8, described_by: str = "") -> forms.Textarea:
    attrs = {"rows": rows, "spellcheck": "true"}
    if described_by:
        attrs["aria-describedby"] = described_by
    return forms.Textarea(attrs=attrs)


class ReportEditForm(forms.Form):
    """One textarea per section of the report's template, plus the person's opinion."""

    title = forms.CharField(label="Titre", max_length=200)
    recipient = forms.CharField(
        label="Destinataire",
        max_length=250,
        required=False,
        help_text="À qui ce document est adressé, s'il l'est.",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.section_keys = []
        for section in report.template.sections:
            name = f"section_{section['key']}"
            self.section_keys.append((name, section["key"]))
            help_text = section.get("help", "")
            self.fields[name] = forms.CharField(
                label=section["title"],
                required=False,
                help_text=f"{help_text} {MARKDOWN_HELP}".strip(),
                widget=_textarea(10, f"id_{name}_helptext"),
                strip=False,
            )
        if report.template.person_opinion_label:
            self.fields["person_opinion"] = forms.CharField(
                label=report.template.person_opinion_label,
                required=False,
                strip=False,
                help_text="Avec ses mots : ce que la personne pense de cet écrit "
                "et de ce qu'il propose.",
                widget=_textarea(5, "id_person_opinion_helptext"),
            )

    @classmethod
    def initial_for(cls, report, version) -> dict:
        initial = {
            "title": report.title,
            "recipient": report.recipient,
            "base_version": version.number,
            "person_opinion": version.person_opinion,
        }
        texts = version.sections
        for section in report.template.sections:
            initial[f"section_{section['key']}"] = texts.get(section["key"], "")
        return initial

    def section_fields(self):
        return [self[name] for name, _ in self.section_keys]

    def sections(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[name].replace("\r\n", "\n") for name, key in self.section_keys
        }

    def person_opinion(self) -> str:
        return self.cleaned_data.get("person_opinion", "").replace("\r\n", "\n")


class FinaliseForm(forms.Form):
    confirm = forms.BooleanField(
        label="J'ai relu ce rapport et je le signe. Il ne pourra plus être modifié : "
        "une correction fera une nouvelle version.",
        error_messages={"required": "Cochez la case pour signer le rapport."},
    )


class AmendForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'amendement",
        widget=_textarea(4),
        help_text="Ce qui doit être corrigé ou complété, et pourquoi. Il figurera sur le document.",
    )


class DeliveryForm(forms.Form):
    read_to_person_on = forms.DateField(
        label="Lu à la personne le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    copy_given_on = forms.DateField(
        label="Copie remise à la personne le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, signed_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_on = signed_on

    def _check(self, value):
        if value is None:
            return value
        if value > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        if self.signed_on and value < self.signed_on:
            raise forms.ValidationError(
                f"La date ne peut pas précéder la signature ({self.signed_on:%d/%m/%Y})."
            )
        return value

    def clean_read_to_person_on(self):
        return self._check(self.cleaned_data.get("read_to_person_on"))

    def clean_copy_given_on(self):
        return self._check(self.cleaned_data.get("copy_given_on"))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("read_to_person_on") and not data.get("copy_given_on"):
            raise forms.ValidationError("Indiquez au moins une date.")
        return data


class RedactionForm(forms.Form):
    item_key = forms.ChoiceField(label="Élément concerné")
    excerpt = forms.CharField(
        label="Passage à retirer",
        required=False,
        strip=False,
        widget=_textarea(3),
        help_text="Copiez exactement le passage qui concerne un tiers. Laissez vide pour "
        "retirer tout le texte de l'élément.",
    )
    reason = forms.ChoiceField(
        label="Motif", choices=enums.RedactionReason.choices, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label="Précision",
        widget=_textarea(2),
        help_text="Pourquoi ce passage concerne un tiers (sans le recopier). "
        "Elle reste dans le dossier ; la copie ne donne que le motif.",
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.key: item for item in items}
        self.fields["item_key"].choices = [("", "— choisir —")] + [
            (item.key, item.label) for item in items
        ]

    def clean(self):
        data = super().clean()
        item = self.items.get(data.get("item_key"))
        excerpt = (data.get("excerpt") or "").replace("\r\n", "\n").strip()
        if item is not None and excerpt and excerpt not in item.text:
            self.add_error(
                "excerpt",
                "Ce passage ne figure pas tel quel dans l'élément choisi : copiez-le exactement.",
            )
        data["excerpt"] = excerpt
        data["item"] = item
        return data
