"""Forms of the social file. They validate at the edge with French messages; the services
then refuse what cannot be (closed case, wrong organisation…)."""

import datetime

from django import forms
from django.utils import timezone

from relais.accounts.enums import Role
from relais.accounts.models import Membership, User
from relais.cases import enums
from relais.cases.models import LONG_TEXT_MAX_LENGTH, Concern
from relais.people.forms import date_field

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
LIMIT_LABEL = f"{LONG_TEXT_MAX_LENGTH:,}".replace(",", "\u202f")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def datetime_field(**kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS, **kwargs
    )


def long_text_field(label: str, *, required: bool = False, help_text: str = "", rows: int = 8):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"Ce texte est limité à {LIMIT_LABEL} caractères (il en compte "
            "%(show_value)d) : raccourcissez-le ou découpez-le en plusieurs notes. "
            "Votre texte est conservé ci-dessous.",
        },
    )


def now_local() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _default_initial(kwargs: dict, name: str, value) -> None:
    kwargs["initial"] = {name: value, **(kwargs.get("initial") or {})}


def colleagues(organisation_id: int, roles, exclude: list[int] | None = None):
    """Active members of the organisation with one of the roles, as users."""
    memberships = (
        Membership.objects.filter(organisation_id=organisation_id, is_active=True, role__in=roles)
        .exclude(user_id__in=exclude or [])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return [membership.user for membership in memberships]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def _users_queryset(users: list[User]):
    return User.objects.filter(pk__in=[user.pk for user in users]).order_by(
        "last_name", "first_name"
    )


class ConcernsField(forms.MultipleChoiceField):
    """The two-level taxonomy as grouped check boxes; cleans to Concern objects."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, organisation_id: int, **kwargs):
        concerns = list(
            Concern.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
                "position", "label"
            )
        )
        self._by_id = {str(concern.pk): concern for concern in concerns}
        parents = [concern for concern in concerns if concern.parent_id is None]
        children: dict[int, list[Concern]] = {}
        for concern in concerns:
            if concern.parent_id:
                children.setdefault(concern.parent_id, []).append(concern)
        choices = [
            (
                parent.label,
                [(str(parent.pk), f"{parent.label} (en général)")]
                + [(str(child.pk), child.label) for child in children.get(parent.pk, [])],
            )
            for parent in parents
        ]
        kwargs.setdefault("label", "Problématiques")
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        return [self._by_id[pk] for pk in super().clean(value)]


# --- Requests -------------------------------------------------------------------------


class RequestForm(forms.Form):
    origin = forms.ChoiceField(
        label="Qui fait la demande", choices=enums.RequestOrigin.choices, initial="person"
    )
    channel = forms.ChoiceField(label="Canal", choices=enums.RequestChannel.choices)
    received_on = date_field(label="Reçue le")
    urgency = forms.ChoiceField(
        label="Urgence",
        choices=enums.Urgency.choices,
        initial=enums.Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text="Une demande urgente crée la tâche de rappel (sous 48 h ou le jour même).",
    )
    summary = long_text_field(
        "Résumé de la demande",
        help_text="Ce que la personne (ou qui appelle pour elle) demande, avec ses mots. "
        "La personne peut demander à lire ce qui est écrit.",
        rows=5,
    )
    assigned_to = UserChoiceField(
        label="Confiée à", queryset=User.objects.none(), required=False, empty_label="Personne"
    )
    appointment_at = datetime_field(
        label="Premier rendez-vous le",
        required=False,
        help_text="Facultatif : le rendez-vous est pris dans l'agenda de la personne à qui "
        "la demande est confiée.",
    )
    appointment_kind = forms.ChoiceField(
        label="Type de rendez-vous",
        choices=enums.InterventionKind.choices,
        initial=enums.InterventionKind.OFFICE_INTERVIEW,
        required=False,
    )

    def __init__(self, *args, organisation_id: int, with_concerns: bool, **kwargs):
        _default_initial(kwargs, "received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        workers = colleagues(organisation_id, [Role.SOCIAL_WORKER])
        self.fields["assigned_to"].queryset = _users_queryset(workers)
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if with_concerns:
            self.fields["concerns"] = ConcernsField(organisation_id=organisation_id)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date de réception ne peut pas être dans le futur.")
        return value

    def clean_appointment_at(self):
        value = self.cleaned_data.get("appointment_at")
        if value and value < timezone.now() - datetime.timedelta(hours=1):
            raise forms.ValidationError("Le rendez-vous ne peut pas être dans le passé.")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("appointment_at") and not cleaned.get("assigned_to"):
            self.add_error("assigned_to", "Choisissez avec qui le premier rendez-vous est pris.")
        return cleaned


class RequestAssignForm(forms.Form):
    assigned_to = UserChoiceField(label="Confier à", queryset=User.objects.none())

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _users_queryset(
            colleagues(organisation_id, [Role.SOCIAL_WORKER])
        )


class RequestCloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Motif",
        choices=enums.RequestClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez pourquoi la demande est close."},
    )


class RequestConvertForm(forms.Form):
    target = forms.ChoiceField(label="Accompagnement", widget=forms.RadioSelect)

    def __init__(self, *args, open_cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_cases = {str(case.public_id): case for case in open_cases}
        self.fields["target"].choices = [("new", "Ouvrir un nouvel accompagnement")] + [
            (key, f"Rattacher à l'accompagnement ouvert le {case.opened_on:%d/%m/%Y}")
            for key, case in self.open_cases.items()
        ]
        self.fields["target"].initial = "new"

    def chosen_case(self):
        return self.open_cases.get(self.cleaned_data["target"])


# --- Cases ----------------------------------------------------------------------------


class CaseForm(forms.Form):
    referents = UserMultipleChoiceField(
        label="Référent·es",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="La première personne cochée dans la liste est la référente principale.",
        error_messages={"required": "Un accompagnement a au moins un·e référent·e."},
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referents"].queryset = _users_queryset(
            colleagues(organisation_id, [Role.SOCIAL_WORKER])
        )
        self.fields["concerns"] = ConcernsField(
            organisation_id=organisation_id,
            help_text="Elles décrivent la demande, jamais la personne.",
        )

    def ordered_referents(self, primary: User) -> list[User]:
        """The chosen referents, the given primary one first if chosen."""
        chosen = list(self.cleaned_data["referents"])
        return sorted(chosen, key=lambda user: user.pk != primary.pk)


class CaseCloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=enums.CaseClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez le motif de clôture."},
    )
    closed_on = date_field(label="Clos le")

    def __init__(self, *args, case, **kwargs):
        _default_initial(kwargs, "closed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date de clôture ne peut pas être dans le futur.")
        if value < self.case.opened_on:
            raise forms.ValidationError(
                "La date de clôture précède l'ouverture de l'accompagnement."
            )
        return value


class CaseShareForm(forms.Form):
    shared_with = UserChoiceField(label="Collègue", queryset=User.objects.none())
    until = date_field(label="Jusqu'au", help_text="Le partage s'arrête seul à cette date.")
    reason = forms.CharField(
        label="Motif",
        max_length=250,
        help_text="Par exemple « congés du 4 au 22 août » ou « relais pendant mon arrêt ».",
        error_messages={"required": "Indiquez pourquoi vous partagez ce dossier."},
    )

    def __init__(self, *args, organisation_id: int, exclude: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = _users_queryset(
            colleagues(organisation_id, [Role.SOCIAL_WORKER, Role.MANAGER], exclude=exclude)
        )
        self.fields["until"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_until(self):
        value = self.cleaned_data["until"]
        if value < timezone.localdate():
            raise forms.ValidationError("La date de fin du partage est déjà passée.")
        return value


# --- Interventions and notes ----------------------------------------------------------

NOTE_REMINDER = (
    "La personne peut demander à lire ce qui est écrit sur elle : écrivez-le comme si elle "
    "allait le lire."
)


class NoteFieldsMixin:
    """Kind of note and the colleagues who may read an assessment."""

    def add_note_fields(self, *, readers: list[User] | None, required: bool, label: str):
        """``readers=None``: no choice of readers (the form is shown without it)."""
        self.fields["note_kind"] = forms.ChoiceField(
            label="Nature de la note",
            choices=enums.NoteKind.choices,
            initial=enums.NoteKind.FACT,
            widget=forms.RadioSelect,
            help_text="Les faits sont lus par les collègues qui ont accès au dossier ; "
            "l'analyse professionnelle seulement par vous et les collègues que vous nommez.",
        )
        self.fields["note_body"] = long_text_field(label, required=required)
        if readers is None:
            return
        self.fields["note_shared_with"] = UserMultipleChoiceField(
            label="Collègues qui peuvent lire cette analyse",
            queryset=_users_queryset(readers),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Seulement pour une analyse professionnelle ; parmi les collègues qui "
            "ont accès au dossier.",
        )


class InterventionForm(NoteFieldsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Type",
        choices=enums.InterventionKind.choices,
        initial=enums.InterventionKind.OFFICE_INTERVIEW,
    )
    occurred_at = datetime_field(label="Date et heure")
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=0, max_value=24 * 60, initial=45
    )
    place = forms.CharField(label="Lieu", max_length=150, required=False)
    participants = forms.CharField(
        label="Autres participants",
        max_length=250,
        required=False,
        help_text="Fonction plutôt que nom : « conjointe », « médecin du travail ».",
    )

    def __init__(self, *args, organisation_id: int, readers: list[User], **kwargs):
        _default_initial(kwargs, "occurred_at", now_local())
        super().__init__(*args, **kwargs)
        self.fields["concerns"] = ConcernsField(
            organisation_id=organisation_id, label="Problématiques abordées"
        )
        self.add_note_fields(readers=readers, required=False, label="Note")

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(
                "Une intervention à venir se note comme rendez-vous dans l'agenda."
            )
        return value


class QuickNoteForm(NoteFieldsMixin, forms.Form):
    def __init__(self, *args, readers: list[User] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_note_fields(readers=readers, required=True, label="Note rapide")
        self.fields["note_body"].error_messages["required"] = "La note est vide."
        self.fields["note_body"].widget.attrs["rows"] = 3


class NoteEditForm(NoteFieldsMixin, forms.Form):
    def __init__(self, *args, readers: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_note_fields(readers=readers, required=True, label="Note")
        self.fields["note_body"].error_messages["required"] = "La note est vide."


# --- Plan -----------------------------------------------------------------------------


class PlanForm(forms.Form):
    started_on = date_field(label="Élaboré le")
    review_on = date_field(label="Bilan prévu le", required=False)

    def __init__(self, *args, **kwargs):
        _default_initial(kwargs, "started_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        started, review = cleaned.get("started_on"), cleaned.get("review_on")
        if started and review and review < started:
            self.add_error("review_on", "Le bilan ne peut pas précéder le début du plan.")
        return cleaned


class GoalForm(forms.Form):
    person_words = long_text_field(
        "L'objectif, avec les mots de la personne",
        required=True,
        help_text="Ce que la personne veut obtenir, dit par elle : « ne plus avoir peur "
        "d'ouvrir le courrier ».",
        rows=3,
    )
    worker_wording = long_text_field("Reformulation professionnelle (facultative)", rows=2)

    def __init__(self, *args, with_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_words"].error_messages["required"] = (
            "Écrivez l'objectif avec les mots de la personne."
        )
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label="Où en est-on", choices=enums.GoalStatus.choices
            )


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=250)
    owner = forms.ChoiceField(label="Qui s'en charge", choices=enums.ActionOwner.choices)
    partner_name = forms.CharField(
        label="Partenaire", max_length=150, required=False, help_text="Si un partenaire agit."
    )
    due_on = date_field(label="Pour le", required=False)

    def __init__(self, *args, with_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label="Statut", choices=enums.ActionStatus.choices
            )


class PlanReviewForm(forms.Form):
    review = long_text_field("Bilan, fait avec la personne", required=True)
    reviewed_on = date_field(label="Bilan fait le")
    next_review_on = date_field(label="Prochain bilan le", required=False)

    def __init__(self, *args, **kwargs):
        _default_initial(kwargs, "reviewed_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        done, following = cleaned.get("reviewed_on"), cleaned.get("next_review_on")
        if done and done > timezone.localdate():
            self.add_error("reviewed_on", "La date du bilan ne peut pas être dans le futur.")
        if done and following and following <= done:
            self.add_error("next_review_on", "Le prochain bilan doit suivre celui-ci.")
        return cleaned


# --- Tasks, appointments --------------------------------------------------------------


class TaskForm(forms.Form):
    title = forms.CharField(label="Tâche", max_length=200)
    due_on = date_field(label="Échéance")
    assignee = UserChoiceField(label="Qui s'en charge", queryset=User.objects.none())

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _users_queryset(
            colleagues(organisation_id, [Role.SOCIAL_WORKER, Role.SECRETARY])
        )


class AppointmentForm(forms.Form):
    worker = UserChoiceField(label="Avec", queryset=User.objects.none())
    starts_at = datetime_field(label="Le")
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=5, max_value=8 * 60, initial=45
    )
    kind = forms.ChoiceField(
        label="Type",
        choices=enums.InterventionKind.choices,
        initial=enums.InterventionKind.OFFICE_INTERVIEW,
    )
    place = forms.CharField(label="Lieu", max_length=150, required=False)

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _users_queryset(
            colleagues(organisation_id, [Role.SOCIAL_WORKER])
        )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value < timezone.now() - datetime.timedelta(hours=1):
            raise forms.ValidationError("Le rendez-vous ne peut pas être dans le passé.")
        return value


class AppointmentMarkForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (enums.AppointmentStatus.DONE, "Honoré"),
            (enums.AppointmentStatus.MISSED, "Absence de la personne"),
        ]
    )


# --- Financial aid --------------------------------------------------------------------


class AidForm(forms.Form):
    kind = forms.ChoiceField(label="Type d'aide", choices=enums.AidKind.choices)
    funder = forms.CharField(
        label="Financeur", max_length=150, help_text="CSE, Action Logement, CCAS, association…"
    )
    amount_requested = forms.DecimalField(
        label="Montant demandé (€)",
        min_value=0.01,
        max_digits=9,
        decimal_places=2,
        localize=True,
        error_messages={"min_value": "Le montant demandé doit être positif."},
    )
    purpose = forms.CharField(
        label="Objet", max_length=250, required=False, help_text="Loyer, énergie, véhicule…"
    )
    requested_on = date_field(label="Demandée le")
    committee_on = date_field(label="Commission le", required=False)

    def __init__(self, *args, **kwargs):
        _default_initial(kwargs, "requested_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_requested_on(self):
        value = self.cleaned_data["requested_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date de la demande ne peut pas être dans le futur.")
        return value


class AidStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Où en est la demande",
        choices=[
            (value, label)
            for value, label in enums.AidStatus.choices
            if value not in (enums.AidStatus.GRANTED, enums.AidStatus.REFUSED)
        ],
    )
    committee_on = date_field(label="Commission le", required=False)


class AidDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("granted", "Accordée"), ("refused", "Refusée")],
        widget=forms.RadioSelect,
    )
    amount_granted = forms.DecimalField(
        label="Montant accordé (€)",
        min_value=0.01,
        max_digits=9,
        decimal_places=2,
        required=False,
        localize=True,
    )
    decided_on = date_field(label="Décision le")

    def __init__(self, *args, aid, **kwargs):
        _default_initial(kwargs, "decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.aid = aid

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "granted" and not cleaned.get("amount_granted"):
            self.add_error("amount_granted", "Indiquez le montant accordé.")
        decided = cleaned.get("decided_on")
        if decided and decided > timezone.localdate():
            self.add_error("decided_on", "La date de décision ne peut pas être dans le futur.")
        elif decided and decided < self.aid.requested_on:
            self.add_error("decided_on", "La décision ne peut pas précéder la demande.")
        return cleaned
