from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from relais.partners.models import Partner
from tests import factories

DATA = Path(__file__).parent / "data"


def test_the_command_imports_an_export_for_an_admin(organisation, capsys):
    admin = factories.UserFactory(organisation=organisation, role="admin")

    call_command(
        "directory_import",
        user=admin.email,
        structures=DATA / "structures.csv",
        services=DATA / "services.csv",
    )

    assert "8 créées" in capsys.readouterr().out
    assert Partner.objects.filter(organisation=organisation).count() == 4


def test_the_command_refuses_a_worker(alice):
    with pytest.raises(CommandError):
        call_command("directory_import", user=alice.email, structures=DATA / "structures.json")
