"""The case's opening date on its referent links (the home page's "opened recently")."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from relais.scale.search_index import VendorRunSQL


def copy_opening_dates(apps, schema_editor):
    """Existing links: the opening date of their case."""
    Case = apps.get_model("cases", "Case")
    CaseReferent = apps.get_model("cases", "CaseReferent")
    CaseReferent.objects.update(
        case_opened_on=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("opened_on"))
    )


def nothing(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_appointment_case_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="casereferent",
            name="case_opened_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(copy_opening_dates, nothing),
        migrations.AlterField(
            model_name="casereferent",
            name="case_opened_on",
            field=models.DateField(editable=False),
        ),
        migrations.AddIndex(
            model_name="casereferent",
            index=models.Index(
                fields=["organisation", "user", "-case_opened_on", "-case", "case_open"],
                name="referent_user_opened",
            ),
        ),
        # SQLite's planner, without statistics on the new index, may prefer it to the
        # partial index of open links for the caseload (both begin with organisation and
        # user): statistics let it choose (PostgreSQL analyses the table by itself).
        VendorRunSQL("sqlite", ["ANALYZE cases_casereferent"], []),
    ]
