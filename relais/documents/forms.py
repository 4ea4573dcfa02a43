from django import forms

from relais.documents import enums
from relais.documents.validation import ALLOWED_LABEL, RejectedFile, inspect_upload, max_bytes

MAX_TAGS = 10


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier",
        help_text=f"{ALLOWED_LABEL}, jusqu'à {{max}} Mo. Le fichier est chiffré dès son dépôt.",
        error_messages={"required": "Choisissez le fichier à déposer."},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.heic,application/pdf,image/*"}
        ),
    )
    kind = forms.ChoiceField(label="Type de document", choices=enums.DocumentKind.choices)
    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        required=False,
        help_text="Par exemple « Bulletin de salaire de mars ». Par défaut, le type de document.",
    )
    document_date = forms.DateField(
        label="Date du document",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tags = forms.CharField(
        label="Étiquettes",
        max_length=500,
        required=False,
        help_text="Séparées par des virgules, par exemple « dossier FSL, surendettement ».",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = field.help_text.replace("{max}", str(max_bytes() // (1024 * 1024)))

    def clean_file(self):
        try:
            return inspect_upload(self.cleaned_data["file"])
        except RejectedFile as error:
            raise forms.ValidationError(str(error)) from error

    def clean_tags(self):
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = " ".join(raw.split())
            if not name:
                continue
            if len(name) > 60:
                raise forms.ValidationError("Une étiquette fait au plus 60 caractères.")
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Au plus {MAX_TAGS} étiquettes par document.")
        return names

    def clean(self):
        data = super().clean()
        if not data.get("title") and data.get("kind"):
            data["title"] = enums.DocumentKind(data["kind"]).label
        return data
