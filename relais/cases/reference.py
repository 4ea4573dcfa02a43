"""Reference lists shipped as data files (relais/cases/data/), copied into each organisation."""

import json
from pathlib import Path

from relais.cases.models import Concern, FollowUpRule

DATA_DIR = Path(__file__).parent / "data"


def reference_seed(organisation) -> int:
    """Copy every shipped reference list into the organisation (idempotent)."""
    return concerns_seed(organisation) + followup_rules_seed(organisation)


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


def followup_rules_seed(organisation) -> int:
    """Copy the default follow-up rules into the organisation (idempotent).

    A rule the organisation has changed or switched off is left as it is; a rule whose
    concern the organisation does not have is skipped.
    """
    rules = json.loads((DATA_DIR / "followup_rules.json").read_text())["rules"]
    existing = set(
        FollowUpRule.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    concerns = dict(Concern.objects.filter(organisation=organisation).values_list("code", "pk"))
    new_rules = []
    for rule in rules:
        if rule["code"] in existing:
            continue
        concern_code = rule.get("concern")
        if concern_code and concern_code not in concerns:
            continue
        new_rules.append(
            FollowUpRule(
                organisation=organisation,
                code=rule["code"],
                trigger=rule["trigger"],
                urgency=rule.get("urgency", ""),
                concern_id=concerns.get(concern_code) if concern_code else None,
                delay_days=rule["delay_days"],
                task_title=rule["task_title"],
                is_active=rule.get("active", True),
            )
        )
    FollowUpRule.objects.bulk_create(new_rules)
    return len(new_rules)
