"""Schemathesis against the served schema, with a real token: no 500, responses conform.

Bounded for `make test`: a fixed seed, a few examples per operation, and the fuzzing and
stateful phases only. RELAIS_SCHEMATHESIS_FULL=1 adds the coverage phase (every boundary
value of every parameter) and more examples: several minutes, for a deeper check.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from relais.api.services import api_token_create
from tests import factories
from tests.api.world import casework_world

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
FULL = os.environ.get("RELAIS_SCHEMATHESIS_FULL") == "1"
MAX_EXAMPLES = 50 if FULL else 6
PHASES = "examples,coverage,fuzzing,stateful" if FULL else "examples,fuzzing,stateful"


@pytest.mark.django_db(transaction=True)
def test_the_served_api_conforms_to_its_schema(
    live_server, settings, organisation, alice, tmp_path
):
    settings.RELAIS_API_RATE_LIMIT = 1_000_000
    casework_world(organisation, alice)
    casework_world(factories.OrganisationFactory(), factories.UserFactory())
    _, secret = api_token_create(by=alice, name="schemathesis")

    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(CONFIG),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--phases",
            PHASES,
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            "2026",
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--no-color",
            "--request-timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=1800 if FULL else 170,
        check=False,
        # Schemathesis keeps its cache in the working directory: not in the checkout.
        cwd=tmp_path,
        env={**os.environ, "RELAIS_API_TOKEN": secret},
    )
    Path(os.environ.get("RELAIS_SCHEMATHESIS_LOG", os.devnull)).write_text(result.stdout)
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
