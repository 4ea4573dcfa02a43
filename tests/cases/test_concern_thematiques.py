import json
from pathlib import Path

from relais.cases.reference import DATA_DIR

VOCABULARY = Path(DATA_DIR).parent.parent / "partners/data/datainclusion/thematiques.json"


def test_every_concern_maps_to_a_real_datainclusion_thematique():
    vocabulary = json.loads(VOCABULARY.read_text())
    valid = {group["code"] for group in vocabulary["groups"]} | {
        value["code"] for group in vocabulary["groups"] for value in group["values"]
    }
    concerns = json.loads((DATA_DIR / "concerns.json").read_text())["concerns"]
    unknown = [
        (item["code"], item["thematique"])
        for parent in concerns
        for item in [parent, *parent.get("children", [])]
        if item["thematique"] not in valid
    ]
    assert unknown == []
