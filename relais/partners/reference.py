"""Reference data shipped with the app: the national bodies copied into each directory."""

import json
from functools import cache

from relais.partners.vocabulary import DATA_DIR


@cache
def national_bodies() -> list[dict]:
    return json.loads((DATA_DIR / "national_bodies.json").read_text(encoding="utf-8"))["bodies"]
