"""Forms of the budget pages: they validate at the edge and answer in plain French.

Amounts are typed the French way ("1 250,50", "1250.5 €"); negative amounts and absurd
values (a monthly line of more than 50 000 €, probably a yearly amount or a misplaced
comma) are refused with a message that says what to do.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms

from relais.budget import enums, reference

MONTHLY_LINE_MAX = Decimal("50000")
DEBT_MAX = Decimal("5000000")
DEPENDANTS_MAX = 20

_SPACES = re.compile(r"[\s\u00a0\u202f']")


class AmountField(forms.CharField):
    """A euro amount: comma or point, spaces allowed, "€" allowed, two decimals at most."""

    def __init__(self, *, max_value: Decimal, max_message: str = "", **kwargs):
        self.max_value = max_value
        self.max_message = max_message
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": 20})

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.quantize(Decimal("0.01")), "f").replace(".", ",")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 30:
            raise forms.ValidationError(
                "Saisissez un montant en euros, par exemple 1250,50.", code="invalid"
            )
        text = _SPACES.sub("", text).removesuffix("€").removesuffix("EUR").replace(",", ".")
        if text.startswith("-"):
            raise forms.ValidationError(
                "Le montant ne peut pas être négatif : saisissez-le sans signe moins "
                "(une dette va dans les charges ou dans les dettes).",
                code="negative",
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                "Saisissez un montant en euros, par exemple 1250,50.", code="invalid"
            ) from None
        if not amount.is_finite():
            raise forms.ValidationError(
                "Saisissez un montant en euros, par exemple 1250,50.", code="invalid"
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                "Deux chiffres après la virgule au maximum (les centimes).", code="decimals"
            )
        if amount > self.max_value:
            raise forms.ValidationError(
                self.max_message
                or f"Ce montant dépasse {self.max_value:,.0f} € : vérifiez la saisie.".replace(
                    ",", " "
                ),
                code="too_large",
            )
        return amount.quantize(Decimal("0.01"))


class MonthField(forms.CharField):
    """A month typed as AAAA-MM (the browser's month picker sends that)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
        if not match:
            raise forms.ValidationError(
                "Indiquez le mois sous la forme AAAA-MM, par exemple 2026-11."
            )
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise forms.ValidationError("Ce mois n'existe pas : vérifiez l'année et le mois.")
        return datetime.date(year, month, 1)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


def _line_max_message() -> str:
    return (
        "Un montant mensuel de plus de 50 000 € semble improbable : s'agit-il d'un montant "
        "annuel (divisez par 12) ou d'une virgule mal placée ?"
    )


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label="Catégorie")
    amount = AmountField(
        label="Montant par mois (€)",
        max_value=MONTHLY_LINE_MAX,
        max_message=_line_max_message(),
        help_text="Un montant trimestriel ou annuel se ramène au mois (÷ 3, ÷ 12).",
    )
    label = forms.CharField(
        label="Précision",
        required=False,
        max_length=200,
        help_text="Facultatif : « CAF », « loyer de novembre »…",
    )
    holder = forms.ChoiceField(label="Pour qui")
    debt = forms.ChoiceField(
        label="Dette concernée",
        required=False,
        help_text="Pour relier un remboursement à une dette de la liste.",
    )

    def __init__(self, *args, kind: str, household, debts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["category"].choices = [("", "Choisir…"), *enums.categories_for(kind).choices]
        self._members = {row.key: row.household_member for row in household.rows}
        self.fields["holder"].choices = [("household", "Tout le foyer")] + [
            (row.key, f"{row.name} ({row.relation})")
            for row in household.rows
            if row.key == "person" or row.key.startswith("member:")
        ]
        self._debts = {str(debt.public_id): debt for debt in debts}
        if kind == enums.LineKind.CHARGE and self._debts:
            self.fields["debt"].choices = [("", "Aucune")] + [
                (key, str(debt)) for key, debt in self._debts.items()
            ]
        else:
            del self.fields["debt"]

    def clean_holder(self):
        value = self.cleaned_data["holder"]
        if value == "household":
            return enums.Holder.HOUSEHOLD, None
        if value == "person":
            return enums.Holder.PERSON, None
        return enums.Holder.MEMBER, self._members[value]

    def clean_debt(self):
        value = self.cleaned_data.get("debt")
        return self._debts.get(value) if value else None

    def line_values(self) -> dict:
        holder, member = self.cleaned_data["holder"]
        return {
            "category": self.cleaned_data["category"],
            "amount": self.cleaned_data["amount"],
            "label": self.cleaned_data["label"],
            "holder": holder,
            "member": member,
            "debt": self.cleaned_data.get("debt"),
        }

    @classmethod
    def initial_for(cls, line) -> dict:
        holder = "household"
        if line.holder == enums.Holder.PERSON:
            holder = "person"
        elif line.holder == enums.Holder.MEMBER and line.member is not None:
            holder = f"member:{line.member.public_id}"
        return {
            "category": line.category,
            "amount": line.amount,
            "label": line.label,
            "holder": holder,
            "debt": str(line.debt.public_id) if line.debt else "",
        }


class BudgetNoteForm(forms.Form):
    note = forms.CharField(
        label="Remarques sur ce mois",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Écrites comme si la personne les lisait : elle peut demander à les voir.",
    )


class DebtForm(forms.Form):
    creditor = forms.CharField(label="Créancier", max_length=150)
    kind = forms.ChoiceField(label="Nature de la dette", choices=enums.DebtKind.choices)
    amount_owed = AmountField(
        label="Montant restant dû (€)",
        max_value=DEBT_MAX,
        max_message="Plus de 5 millions d'euros : vérifiez la saisie (une virgule mal placée ?).",
    )
    monthly_payment = AmountField(
        label="Mensualité (€)",
        required=False,
        max_value=MONTHLY_LINE_MAX,
        max_message=_line_max_message(),
        help_text="Ce qui est payé chaque mois, s'il y a un remboursement en cours.",
    )
    arrears = AmountField(
        label="Dont impayés (€)",
        required=False,
        max_value=DEBT_MAX,
        help_text="Échéances ou factures en retard, comprises dans le montant restant dû.",
    )
    status = forms.ChoiceField(label="Situation", choices=enums.DebtStatus.choices)
    court_action = forms.ChoiceField(label="Procédure en cours", choices=enums.CourtAction.choices)
    court_action_on = forms.DateField(
        label="Date de la procédure",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    has_document = forms.BooleanField(
        label="Justificatif fourni (dernier courrier ou relevé)", required=False
    )
    notes = forms.CharField(
        label="Remarques",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        owed = data.get("amount_owed")
        arrears = data.get("arrears") or Decimal("0")
        data["arrears"] = arrears
        if owed is not None and arrears > owed:
            self.add_error(
                "arrears",
                "Les impayés font partie du montant restant dû : ils ne peuvent pas le dépasser.",
            )
        payment = data.get("monthly_payment")
        if owed is not None and payment is not None and payment > owed and owed > 0:
            self.add_error(
                "monthly_payment", "La mensualité dépasse le montant restant dû : vérifiez."
            )
        if data.get("court_action") == enums.CourtAction.NONE:
            data["court_action_on"] = None
        return data

    def debt_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}

    @classmethod
    def initial_for(cls, debt) -> dict:
        return {name: getattr(debt, name) for name in cls.base_fields}


class SettingsForm(forms.Form):
    divisor = forms.ChoiceField(
        label="Le reste à vivre est divisé par",
        choices=enums.Divisor.choices,
        widget=forms.RadioSelect,
    )


class SeizureForm(forms.Form):
    income = AmountField(
        label="Revenu net mensuel (€)",
        max_value=Decimal("1000000"),
        help_text="Après cotisations et impôt prélevé à la source : salaire, chômage, "
        "indemnités journalières, retraite.",
    )
    dependants = forms.IntegerField(
        label="Personnes à charge",
        min_value=0,
        max_value=DEPENDANTS_MAX,
        help_text="Conjoint sans ressources suffisantes, enfants, ascendants (R3252-3).",
        error_messages={
            "min_value": "Le nombre de personnes à charge ne peut pas être négatif.",
            "max_value": f"Plus de {DEPENDANTS_MAX} personnes à charge : vérifiez la saisie.",
            "invalid": "Saisissez un nombre entier.",
        },
    )
    month = MonthField(label="Mois du calcul", help_text="Choisit le barème et le RSA en vigueur.")

    def clean_month(self):
        month = self.cleaned_data["month"]
        try:
            reference.seizure_scale_on(month)
            reference.rsa_on(month)
        except reference.NoReferenceFigure:
            first = reference.seizure_scales()[0].valid_from
            raise forms.ValidationError(
                f"Les barèmes connus commencent en {first:%m/%Y} : choisissez un mois ultérieur."
            ) from None
        return month


class CapacityForm(SeizureForm):
    income = AmountField(
        label="Ressources mensuelles du foyer (€)",
        max_value=Decimal("1000000"),
        help_text="Toutes les ressources du foyer retenues dans le budget.",
    )
    has_partner = forms.BooleanField(label="Vit en couple", required=False)
    young_dependants = forms.IntegerField(
        label="Enfants ou jeunes de moins de 25 ans à charge",
        min_value=0,
        max_value=DEPENDANTS_MAX,
        error_messages={"min_value": "Ce nombre ne peut pas être négatif."},
    )
    other_dependants = forms.IntegerField(
        label="Autres personnes à charge (25 ans ou plus)",
        min_value=0,
        max_value=DEPENDANTS_MAX,
        error_messages={"min_value": "Ce nombre ne peut pas être négatif."},
    )
    current_expenses = AmountField(
        label="Dépenses courantes du foyer (€)",
        required=False,
        max_value=Decimal("1000000"),
        help_text="Logement, énergie, eau, nourriture, scolarité, garde, transport, santé… "
        "sans les remboursements de dettes.",
    )


class PlanForm(forms.Form):
    amount = AmountField(label="Montant à rembourser (€)", max_value=DEBT_MAX)
    monthly_payment = AmountField(
        label="Mensualité proposée (€)", required=False, max_value=MONTHLY_LINE_MAX
    )
    months = forms.IntegerField(
        label="ou durée (mois)",
        required=False,
        min_value=1,
        max_value=240,
        error_messages={
            "min_value": "Au moins un mois.",
            "max_value": "Plus de 20 ans : vérifiez la durée.",
        },
    )

    def clean(self):
        data = super().clean()
        payment, months = data.get("monthly_payment"), data.get("months")
        if not self.errors:
            if payment is None and months is None:
                raise forms.ValidationError("Indiquez une mensualité ou une durée.")
            if payment is not None and months is not None:
                raise forms.ValidationError(
                    "Indiquez soit une mensualité, soit une durée, pas les deux."
                )
            if payment is not None and payment <= 0:
                self.add_error("monthly_payment", "La mensualité doit être supérieure à zéro.")
            if data.get("amount") is not None and data["amount"] <= 0:
                self.add_error("amount", "Le montant à rembourser doit être supérieur à zéro.")
        return data


class ProrataForm(forms.Form):
    monthly_amount = AmountField(
        label="Somme disponible chaque mois pour les créanciers (€)",
        max_value=MONTHLY_LINE_MAX,
    )


class OverindebtednessForm(forms.Form):
    joint_filing = forms.BooleanField(
        label="Dossier déposé à deux (avec le conjoint ou le partenaire)", required=False
    )
    savings = AmountField(label="Épargne disponible (€)", required=False, max_value=DEBT_MAX)
    real_estate = forms.CharField(
        label="Biens immobiliers",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Nature, valeur estimée, crédit en cours.",
    )
    vehicles = forms.CharField(
        label="Véhicules",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Modèle, année, valeur estimée.",
    )
    other_assets = forms.CharField(
        label="Autres biens de valeur",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    causes = forms.CharField(
        label="Ce qui a conduit à la situation",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Avec les mots de la personne : séparation, perte d'emploi, maladie…",
    )
    sent_on = forms.DateField(
        label="Dossier déposé le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.document_rows = documents
        for row in documents:
            self.fields[f"doc_{row.code}"] = forms.ChoiceField(
                label=row.label,
                choices=enums.DocumentStatus.choices,
                widget=forms.RadioSelect,
                initial=row.status,
            )

    def checklist(self):
        """(section, [(document, field)]) in the order of the Banque de France form."""
        result = []
        for section in reference.overindebtedness_documents()["sections"]:
            rows = [
                (row, self[f"doc_{row.code}"])
                for row in self.document_rows
                if row.section == section["code"]
            ]
            if rows:
                result.append((section, rows))
        return result

    def file_values(self, existing_documents: dict) -> dict:
        documents = dict(existing_documents or {})
        for row in self.document_rows:
            documents[row.code] = self.cleaned_data[f"doc_{row.code}"]
        values = {
            name: self.cleaned_data[name]
            for name in (
                "joint_filing",
                "savings",
                "real_estate",
                "vehicles",
                "other_assets",
                "causes",
                "sent_on",
            )
        }
        values["documents"] = documents
        return values
