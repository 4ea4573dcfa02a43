"""The data.inclusion vocabulary, shipped as data files in ``data/datainclusion/``.

A new schema version is a data change: the files are read once per process.
"""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
VOCABULARY_DIR = DATA_DIR / "datainclusion"


def _load(name: str) -> dict:
    return json.loads((VOCABULARY_DIR / name).read_text(encoding="utf-8"))


@cache
def thematique_groups() -> list[dict]:
    """[{code, label, values: [{code, label}]}], 16 groups, in the schema's order."""
    return _load("thematiques.json")["groups"]


@cache
def thematique_labels() -> dict[str, str]:
    return {value["code"]: value["label"] for g in thematique_groups() for value in g["values"]}


@cache
def thematique_group_labels() -> dict[str, str]:
    return {g["code"]: g["label"] for g in thematique_groups()}


def thematique_group(code: str) -> str:
    """The group of a value: 'sante--addictions' → 'sante'."""
    return code.split("--", 1)[0]


def thematique_choices() -> list[tuple[str, list[tuple[str, str]] | str]]:
    """Grouped choices for a <select>: a group can be picked whole, or one of its values."""
    choices: list = []
    for group in thematique_groups():
        options = [(group["code"], f"{group['label']} (toute la thématique)")]
        options += [(v["code"], v["label"]) for v in group["values"]]
        choices.append((group["label"], options))
    return choices


@cache
def _services_vocabulary() -> dict:
    return _load("services_vocabulary.json")


def service_list(name: str) -> list[dict]:
    return _services_vocabulary()[name]


@cache
def labels(name: str) -> dict[str, str]:
    """Labels of a closed list: 'publics', 'modes_accueil', 'types_de_services'…"""
    if name == "thematiques":
        return thematique_labels()
    if name == "typologies_de_structures":
        return {t["code"]: t["label"] for t in typologies_de_structures()}
    if name == "reseaux_porteurs":
        return {r["code"]: r["label"] for r in reseaux_porteurs()}
    return {item["code"]: item["label"] for item in service_list(name)}


def choices(name: str) -> list[tuple[str, str]]:
    return list(labels(name).items())


@cache
def typologies_de_structures() -> list[dict]:
    return _load("typologies_de_structures.json")["typologies_de_structures"]


@cache
def reseaux_porteurs() -> list[dict]:
    return _load("reseaux_porteurs.json")["reseaux_porteurs"]


@cache
def typologie_service_to_type() -> dict[str, str]:
    return {t["code"]: t["type"] for t in service_list("typologies_de_services")}


def kind_for_structure(typologie: str, reseaux: list[str]) -> str:
    """Relais's partner kind for an imported structure, from its typology or networks."""
    by_typology = {t["code"]: t["kind"] for t in typologies_de_structures()}
    if typologie in by_typology and by_typology[typologie] != "other":
        return by_typology[typologie]
    by_network = {r["code"]: r["kind"] for r in reseaux_porteurs()}
    for network in reseaux:
        if network in by_network:
            return by_network[network]
    return by_typology.get(typologie, "other")


@cache
def schema_fields(resource: str) -> list[dict]:
    """Fields Relais reads from a data.inclusion 'structures' or 'services' row."""
    return _load("schema.json")[resource]


def display(name: str, codes) -> list[str]:
    """Labels of a list of codes, unknown codes shown as they are."""
    known = labels(name)
    return [known.get(code, code) for code in codes or []]
