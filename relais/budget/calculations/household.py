"""Who counts, and for how much: consumption units, parts, persons, RSA multipliers."""

from dataclasses import dataclass, field
from decimal import Decimal

from relais.budget.calculations.money import to_cents
from relais.budget.calculations.scales import ConsumptionScale, RsaAmount, RsaHouseholdRule

REFERENCE = "reference"  # the accompanied person
PARTNER = "partner"
CHILD = "child"  # child or grandchild
OTHER = "other"


@dataclass(frozen=True)
class Member:
    """One person of the household, as the calculations need them."""

    label: str
    age: int | None
    role: str = OTHER
    dependent: bool = False

    @property
    def is_young(self) -> bool:
        """Under 25 (RSA "enfant ou personne de moins de 25 ans"); a child of unknown age is."""
        if self.age is None:
            return self.role == CHILD
        return self.age < 25


@dataclass(frozen=True)
class Step:
    label: str
    detail: str
    value: Decimal
    estimated: bool = False  # the birth date is missing: the step rests on an assumption


@dataclass(frozen=True)
class Count:
    """A divisor of the household (consumption units, parts, persons) with its steps."""

    kind: str
    total: Decimal
    steps: list[Step] = field(default_factory=list)

    @property
    def has_estimates(self) -> bool:
        return any(step.estimated for step in self.steps)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def consumption_units(members: list[Member], scale: ConsumptionScale) -> Count:
    """Modified OECD scale: 1 for the first adult, 0.5 per other person aged 14 or more,
    0.3 per child under 14. ``members[0]`` is the accompanied person (the first adult)."""
    steps = []
    for index, member in enumerate(members):
        if index == 0:
            steps.append(Step(member.label, "premier adulte", scale.first_adult))
            continue
        if member.age is None:
            weight = scale.under_14 if member.role == CHILD else scale.other_aged_14_or_more
            detail = (
                f"âge inconnu, compté comme {'moins' if member.role == CHILD else 'plus'} "
                f"de {scale.age_threshold} ans"
            )
            steps.append(Step(member.label, detail, weight, estimated=True))
        elif member.age >= scale.age_threshold:
            steps.append(
                Step(
                    member.label,
                    f"{member.age} ans : {scale.age_threshold} ans ou plus",
                    scale.other_aged_14_or_more,
                )
            )
        else:
            steps.append(
                Step(
                    member.label,
                    f"{member.age} ans : moins de {scale.age_threshold} ans",
                    scale.under_14,
                )
            )
    return Count("consumption_units", sum((s.value for s in steps), Decimal("0")), steps)


def parts(members: list[Member]) -> Count:
    """Parts as in the income-tax family quotient: 1 per adult of the couple, 0.5 for each of
    the first two dependants, 1 from the third, 0.5 more for a parent raising children alone.
    Other people of the household who are not dependants do not count."""
    steps = []
    has_partner = any(m.role == PARTNER for m in members[1:])
    dependants = [m for m in members[1:] if m.dependent and m.role != PARTNER]
    steps.append(Step(members[0].label, "adulte", Decimal("1")))
    for member in members[1:]:
        if member.role == PARTNER:
            steps.append(Step(member.label, "adulte du couple", Decimal("1")))
    for rank, member in enumerate(dependants, 1):
        if rank <= 2:
            steps.append(Step(member.label, f"personne à charge n° {rank}", Decimal("0.5")))
        else:
            steps.append(Step(member.label, f"personne à charge n° {rank}", Decimal("1")))
    if not has_partner and dependants:
        steps.append(Step("Parent seul", "élève seul ses enfants", Decimal("0.5")))
    return Count("parts", sum((s.value for s in steps), Decimal("0")), steps)


def persons(members: list[Member]) -> Count:
    steps = [Step(m.label, "une personne", Decimal("1")) for m in members]
    return Count("persons", Decimal(len(members)), steps)


@dataclass(frozen=True)
class RsaHousehold:
    single_amount: RsaAmount
    multiplier: Decimal
    amount: Decimal
    steps: list[Step]


def rsa_household(members: list[Member], single: RsaAmount, rule: RsaHouseholdRule) -> RsaHousehold:
    """The RSA lump sum of the household (CASF R262-1).

    The person counts for the single-person amount; the second person of the household
    (partner, or a first dependant) adds 50 %; each further dependant adds 30 %, raised to
    40 % from the third child or person under 25. Other adults who are not dependants do
    not count. Each increase is rounded to the cent, as in the published tables
    (2025: 646,52 / 969,78 / 1 163,74 / 1 357,70 €).
    """
    extras = [m for m in members[1:] if m.role == PARTNER]
    extras += [m for m in members[1:] if m.role != PARTNER and m.dependent and not m.is_young]
    extras += [m for m in members[1:] if m.role != PARTNER and m.dependent and m.is_young]
    steps = [Step(members[0].label, "montant pour une personne seule", single.amount)]
    multiplier = Decimal("1")
    young_rank = 0
    for index, member in enumerate(extras):
        if member.role != PARTNER and member.is_young:
            young_rank += 1
        if index == 0:
            rate, why = rule.second_person, "deuxième personne du foyer"
        elif member.role != PARTNER and member.is_young and young_rank >= 3:
            rate, why = rule.third_child_onwards, f"enfant ou jeune à charge n° {young_rank}"
        else:
            rate, why = rule.each_further_person, "personne supplémentaire à charge"
        multiplier += rate
        steps.append(
            Step(member.label, f"{why} : + {_fmt(rate * 100)} %", to_cents(single.amount * rate))
        )
    amount = sum((s.value for s in steps), Decimal("0"))
    return RsaHousehold(single, multiplier, amount, steps)
