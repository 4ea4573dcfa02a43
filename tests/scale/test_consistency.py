"""Conventions that make sharding by organisation possible (Citus), enforced on every model.

In the spirit of les-emplois' test_consistency.py: a new model that breaks them fails
here, with the reason, before it reaches a database that cannot be distributed.

- Every table of Relais is either a *tenant* table (a non-null ``organisation_id``
  column: distributed by it on Citus) or a declared *reference* table (replicated to
  every node).
- A distributed table's unique constraints must contain the distribution column.
- A reference table may not point to a distributed one.
- Indexes declared on tenant tables start with the organisation (every query is
  scoped by it, and on Citus each shard holds one organisation's slice).
"""

import pytest
from django.apps import apps
from django.db import connection, models

from relais.scale.tenancy import (
    INDEXES_ACROSS_ORGANISATIONS,
    KNOWN_UNIQUE_WITHOUT_ORGANISATION,
    REFERENCE_TABLES,
    citus_layout_sql,
    relais_models,
    tenant_column,
    tenant_models,
)


def test_there_are_tenant_tables_to_check():
    labels = {m._meta.label_lower for m in tenant_models()}
    assert {"people.person", "cases.case", "cases.intervention", "cases.note"} <= labels


@pytest.mark.parametrize("model", relais_models(), ids=lambda m: m._meta.label_lower)
def test_every_table_is_a_tenant_table_or_a_declared_reference_table(model):
    label = model._meta.label_lower
    if label in REFERENCE_TABLES:
        assert tenant_column(model) is None
        return
    column = tenant_column(model)
    assert column is not None, (
        f"{label} has no organisation column: inherit TenantModel, or declare it a "
        "reference table in REFERENCE_TABLES with a reason"
    )
    assert not column.null, f"{label}.organisation must not be nullable"


@pytest.mark.django_db
@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label_lower)
def test_the_tenant_column_exists_in_the_database_and_is_not_null(model):
    with connection.cursor() as cursor:
        columns = {
            c.name: c
            for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }
    assert "organisation_id" in columns, f"{model._meta.db_table} lacks organisation_id"
    assert not columns["organisation_id"].null_ok


def _unique_field_sets(model):
    """Every set of columns the model declares unique, except its primary key."""
    meta = model._meta
    for field in meta.local_concrete_fields:
        if field.unique and not field.primary_key:
            yield field.name, {field.name}
    for fields in meta.unique_together:
        yield ",".join(fields), set(fields)
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            if constraint.fields:
                yield constraint.name, set(constraint.fields)
            else:
                # Expression-based: the organisation must appear among the expressions.
                names = {
                    ref for expression in constraint.expressions for ref in _field_refs(expression)
                }
                yield constraint.name, names


def _field_refs(expression):
    if isinstance(expression, models.F):
        yield expression.name
    for source in getattr(expression, "get_source_expressions", list)():
        yield from _field_refs(source)


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label_lower)
def test_every_unique_constraint_includes_the_organisation(model):
    label = model._meta.label_lower
    offending = [
        name
        for name, fields in _unique_field_sets(model)
        if not fields & {"organisation", "organisation_id"}
        and (label, name) not in KNOWN_UNIQUE_WITHOUT_ORGANISATION
    ]
    assert not offending, (
        f"{label}: unique without the organisation ({', '.join(offending)}); on Citus a "
        "distributed table's unique constraints must include organisation_id"
    )


def test_known_exceptions_still_exist():
    """An exception that was fixed must leave the list (it would hide a regression)."""
    for label, name in KNOWN_UNIQUE_WITHOUT_ORGANISATION:
        model = apps.get_model(label)
        assert name in {n for n, _ in _unique_field_sets(model)}, f"{label}.{name} was fixed"


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label_lower)
def test_indexes_start_with_the_organisation(model):
    for index in model._meta.indexes:
        if (model._meta.label_lower, index.name) in INDEXES_ACROSS_ORGANISATIONS:
            continue
        first = (index.fields or [""])[0].lstrip("-")
        assert first in {"organisation", "organisation_id"}, (
            f"{model._meta.label_lower}: index {index.name} does not start with organisation"
        )


@pytest.mark.parametrize("label", sorted(REFERENCE_TABLES), ids=lambda label: label)
def test_reference_tables_do_not_point_to_tenant_tables(label):
    model = apps.get_model(label)
    tenant = set(tenant_models())
    for field in model._meta.concrete_fields:
        if field.is_relation:
            assert field.related_model not in tenant, (
                f"{label}.{field.name} points to a distributed table"
            )


def test_the_citus_layout_places_every_table_once():
    statements = [s for s in citus_layout_sql() if not s.startswith("--")]
    tables = [s.split("'")[1] for s in statements]
    assert len(tables) == len(set(tables))
    for model in relais_models():
        assert model._meta.db_table in tables, model
    distributed = [s for s in statements if "create_distributed_table" in s]
    assert len(distributed) == len(tenant_models())
