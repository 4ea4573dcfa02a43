"""Give every existing organisation the default follow-up rules (new ones get them when
they are created, through relais.cases.reference.reference_seed)."""

import json
from pathlib import Path

from django.db import migrations

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "followup_rules.json"


def seed(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Concern = apps.get_model("cases", "Concern")
    FollowUpRule = apps.get_model("cases", "FollowUpRule")
    rules = json.loads(RULES_FILE.read_text())["rules"]
    for organisation in Organisation.objects.all():
        existing = set(
            FollowUpRule.objects.filter(organisation=organisation).values_list("code", flat=True)
        )
        concerns = dict(
            Concern.objects.filter(organisation=organisation).values_list("code", "pk")
        )
        for rule in rules:
            concern_code = rule.get("concern")
            if rule["code"] in existing or (concern_code and concern_code not in concerns):
                continue
            FollowUpRule.objects.create(
                organisation=organisation,
                code=rule["code"],
                trigger=rule["trigger"],
                urgency=rule.get("urgency", ""),
                concern_id=concerns.get(concern_code) if concern_code else None,
                delay_days=rule["delay_days"],
                task_title=rule["task_title"],
                is_active=rule.get("active", True),
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_followup_codes_and_request_links")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
