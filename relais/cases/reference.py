"""Reference lists shipped as data files (relais/cases/data/), copied into each organisation."""

import json
from pathlib import Path

from relais.cases.models import Concern

DATA_DIR = Path(__file__).parent / "data"


def concerns_seed(organisation) -> int:
    """Copy the national concern taxonomy into the organisation (idempotent)."""
    tree = json.loads((DATA_DIR / "concerns.json").read_text())["concerns"]
    existing = set(Concern.objects.filter(organisation=organisation).values_list("code", flat=True))
    created = 0
    for position, item in enumerate(tree):
        parent = Concern.objects.filter(organisation=organisation, code=item["code"]).first()
        if parent is None:
            parent = Concern.objects.create(
                organisation=organisation,
                code=item["code"],
                label=item["label"],
                datainclusion_thematique=item.get("thematique", ""),
                workplace_only=item.get("workplace", False),
                position=position,
            )
            created += 1
        children = [
            Concern(
                organisation=organisation,
                parent=parent,
                code=child["code"],
                label=child["label"],
                datainclusion_thematique=child.get("thematique", ""),
                workplace_only=child.get("workplace", False),
                position=child_position,
            )
            for child_position, child in enumerate(item.get("children", []))
            if child["code"] not in existing
        ]
        Concern.objects.bulk_create(children)
        created += len(children)
    return created
