"""Which tables are per organisation (distributed by ``organisation_id`` on Citus) and
which are shared (reference tables), read from the models.

Used by ``tests/scale/test_consistency.py`` (every table is classified, unique
constraints include the organisation) and by ``relais citus_layout`` (the SQL that
distributes the tables). docs/deployment.md explains the layout.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from relais.accounts.models import Organisation

# Relais tables that are not per organisation, and why (replicated to every Citus node).
REFERENCE_TABLES = {
    "accounts.organisation": "the tenants themselves",
    "accounts.user": "logins; the organisation comes through Membership",
    "accounts.user_groups": "Django's permission groups of a login (unused by Relais)",
    "accounts.user_user_permissions": "Django's permissions of a login (unused by Relais)",
}
# Unique columns without the organisation, known and to be fixed before a Citus
# deployment. An entry here is a debt, not a permission: keep it short.
KNOWN_UNIQUE_WITHOUT_ORGANISATION = {
    ("accounts.membership", "user"): (
        "one membership per user (OneToOne to a reference table): on Citus, "
        "UniqueConstraint(organisation, user) plus a check in user_create"
    ),
    ("cases.appointment", "intervention"): (
        "OneToOne to Intervention: should be UniqueConstraint(organisation, intervention)"
    ),
    ("api.apitoken", "digest"): (
        "found by digest alone when a request authenticates: on Citus, carry the "
        "organisation in the token (a prefix) and make it UniqueConstraint(organisation, digest)"
    ),
}
# Indexes that deliberately do not start with the organisation, and why.
INDEXES_ACROSS_ORGANISATIONS = {
    (
        "audit.accessevent",
        "access_at",
    ): "the retention purge deletes old rows of every organisation",
}
# The table every distributed table is colocated with (same shard for one organisation).
COLOCATION_ANCHOR = "people_person"


def relais_labels() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name.startswith("relais.")}


def relais_models() -> list:
    labels = relais_labels()
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels
    ]


def tenant_column(model):
    try:
        field = model._meta.get_field("organisation")
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.ForeignKey) and field.related_model is Organisation:
        return field
    return None


def tenant_models() -> list:
    return [m for m in relais_models() if tenant_column(m) is not None]


def reference_models() -> list:
    return [m for m in relais_models() if m._meta.label_lower in REFERENCE_TABLES]


def other_apps_tables() -> list[str]:
    """Django's and third-party apps' tables (sessions, auth, tasks, OTP…)."""
    labels = relais_labels()
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in labels
    )


def citus_layout_sql() -> list[str]:
    """The statements that distribute Relais on Citus, reference tables first."""
    statements = [
        "-- Reference tables: small, shared, replicated to every node.",
        *(
            f"SELECT create_reference_table('{model._meta.db_table}');"
            for model in reference_models()
        ),
        "-- Django's and other apps' tables. Writing to a reference table is a distributed "
        "transaction: move the busy ones (sessions, login attempts, task results) to Redis.",
        *(f"SELECT create_reference_table('{table}');" for table in other_apps_tables()),
        "-- Tenant tables: distributed by organisation, all colocated.",
        f"SELECT create_distributed_table('{COLOCATION_ANCHOR}', 'organisation_id');",
    ]
    for model in sorted(tenant_models(), key=lambda m: m._meta.db_table):
        if model._meta.db_table == COLOCATION_ANCHOR:
            continue
        statements.append(
            f"SELECT create_distributed_table('{model._meta.db_table}', 'organisation_id', "
            f"colocate_with => '{COLOCATION_ANCHOR}');"
        )
    return statements
