"""The dated reference figures (relais/budget/data/*.json), loaded once per process.

``*_on(date)`` returns the row in force on that date: the last one whose ``valid_from`` is
on or before it. Next year's figures are one more row in the data file.
"""

import datetime
import functools
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from relais.budget.calculations.scales import (
    ConsumptionScale,
    RsaAmount,
    RsaHouseholdRule,
    SeizureScale,
)

DATA_DIR = Path(__file__).parent / "data"


class NoReferenceFigure(LookupError):
    """No row of a reference table applies to the date asked."""


def _read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _sorted(rows, what: str):
    rows = sorted(rows, key=lambda row: row.valid_from)
    dates = [row.valid_from for row in rows]
    if len(set(dates)) != len(dates):
        raise ValueError(f"{what} : deux lignes ont la même date de début.")
    return tuple(rows)


@functools.cache
def seizure_scales() -> tuple[SeizureScale, ...]:
    return _sorted(
        (
            SeizureScale(
                valid_from=_date(row["valid_from"]),
                decree=row["decree"],
                annual_limits=tuple(Decimal(v) for v in row["annual_limits"]),
                fractions=tuple(Fraction(v) for v in row["fractions"]),
                dependant_raise=Decimal(row["dependant_raise"]),
            )
            for row in _read("seizure_scales.json")["periods"]
        ),
        "Barème des saisies",
    )


@functools.cache
def rsa_amounts() -> tuple[RsaAmount, ...]:
    return _sorted(
        (
            RsaAmount(
                valid_from=_date(row["valid_from"]),
                amount=Decimal(row["amount"]),
                text=row["text"],
                confirmed=row.get("confirmed", True),
            )
            for row in _read("rsa.json")["single_person"]
        ),
        "RSA",
    )


@functools.cache
def rsa_household_rules() -> tuple[RsaHouseholdRule, ...]:
    return _sorted(
        (
            RsaHouseholdRule(
                valid_from=_date(row["valid_from"]),
                second_person=Decimal(row["second_person"]),
                each_further_person=Decimal(row["each_further_person"]),
                third_child_onwards=Decimal(row["third_child_onwards"]),
                text=row.get("text", ""),
            )
            for row in _read("rsa.json")["household"]
        ),
        "Majorations du RSA",
    )


@functools.cache
def consumption_scales() -> tuple[ConsumptionScale, ...]:
    return _sorted(
        (
            ConsumptionScale(
                valid_from=_date(row["valid_from"]),
                first_adult=Decimal(row["first_adult"]),
                other_aged_14_or_more=Decimal(row["other_aged_14_or_more"]),
                under_14=Decimal(row["under_14"]),
                age_threshold=int(row["age_threshold"]),
            )
            for row in _read("consumption_units.json")["periods"]
        ),
        "Unités de consommation",
    )


def _on(rows, on: datetime.date, what: str):
    applicable = [row for row in rows if row.valid_from <= on]
    if not applicable:
        raise NoReferenceFigure(f"{what} : aucun chiffre de référence pour le {on:%d/%m/%Y}.")
    return applicable[-1]


def seizure_scale_on(on: datetime.date) -> SeizureScale:
    return _on(seizure_scales(), on, "Barème des saisies")


def rsa_on(on: datetime.date) -> RsaAmount:
    return _on(rsa_amounts(), on, "RSA")


def rsa_household_rule_on(on: datetime.date) -> RsaHouseholdRule:
    return _on(rsa_household_rules(), on, "Majorations du RSA")


def consumption_scale_on(on: datetime.date) -> ConsumptionScale:
    return _on(consumption_scales(), on, "Unités de consommation")


@functools.cache
def overindebtedness_documents() -> dict:
    """Sections of the Banque de France form and the supporting documents of each."""
    return _read("overindebtedness_documents.json")
