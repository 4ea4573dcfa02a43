"""Prepared querysets: the ORM builds and compiles a query once per process; each later
call only binds its values and runs the SQL.

Why: on the daily pages, Python spends far more time making a query than the database
spends answering it. Measured on the case page's open-tasks query (SQLite, 100,000
persons): building the queryset 125 µs, compiling it to SQL 390 µs, executing it and
fetching the rows 32 µs, making the model instances about 110 µs. A page of twenty such
queries pays about 10 ms for SQL whose text never changes, only its values.

How: a query is written once, as a function of named values::

    @prepared
    def open_tasks(p):
        return Task.objects.filter(organisation_id=p.org, case_id=p.case).order_by("due_on")

    tasks = open_tasks(org=case.organisation_id, case=case.pk)  # a list of Task

On its first call on a database connection, the function is called with placeholders
(``p.org`` is a ``Param``) and the queryset is compiled; the SQL text, the positions of the
placeholders among its parameters and the compiler's description of the columns are kept.
Later calls bind the values, execute, and build the same objects the queryset would
(``select_related`` rows, annotations, then ``prefetch_related``).

Rules for a prepared query (checked where they can be):
- every value that changes between calls goes through ``p``; anything else is frozen at
  the first call (``timezone.localdate()`` computed inside the builder would be too);
- a placeholder stands for one value compared with ``=``, ``<``, ``<=``, ``>``, ``>=``:
  not a list (``__in``; ``pk__in=JsonIds(p.ids)`` with ``ids=json_ids([...])`` binds a
  list of ids of any length as one value), not ``None`` (``IS NULL`` is another query),
  not a model instance (pass its ``pk``);
- the builder does not branch on values (a placeholder is always true, never ``None``):
  two shapes are two prepared queries;
- the result is a list (rows of a model, or of ``values_list``), never a queryset to
  filter further.

Under ``RELAIS_PREPARED_QUERIES_CHECK`` (the test settings), every call also builds the
queryset with the real values, compiles it and checks that it is the same SQL with the
same parameters: the whole suite, on both databases, proves each prepared query equal to
the queryset it stands for.
"""

import datetime
import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models import prefetch_related_objects
from django.db.models.expressions import Expression
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)


class PreparedQueryMismatch(AssertionError):
    """The prepared SQL differs from the queryset built with the real values."""


class _Slot:
    """Stands, among a compiled query's parameters, for the value of a named Param."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<slot {self.name}>"


class Param(Expression):
    """A named value of a prepared query, bound at each call."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name)]


class JsonIds(Expression):
    """The integers of a JSON array (``json_ids``), as a subquery: ``pk__in=JsonIds(p.ids)``
    binds a list of any length as one value, so that its SQL is the same whatever the
    list's length (SQLite: ``json_each``; PostgreSQL: ``jsonb_array_elements_text``)."""

    output_field = models.BigIntegerField()

    def __init__(self, value):
        super().__init__()
        self.value = value if hasattr(value, "resolve_expression") else models.Value(value)

    def get_source_expressions(self):
        return [self.value]

    def set_source_expressions(self, expressions):
        (self.value,) = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.value)  # a placeholder: "%s"
        if connection.vendor == "postgresql":
            return f"SELECT (jsonb_array_elements_text({sql}::jsonb))::bigint", params
        return f"SELECT value FROM json_each({sql})", params  # noqa: S608


def json_ids(ids) -> str:
    """The value ``JsonIds`` reads: ``[3, 1, 2]`` → ``"[3,1,2]"`` (integers only)."""
    return json.dumps([int(pk) for pk in ids], separators=(",", ":"))


class _Placeholders:
    def __getattr__(self, name: str) -> Param:
        return Param(name)


class _Values:
    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


_DATETIME_FIELD = models.DateTimeField()
_UUID_FIELD = models.UUIDField()


def _db_value(name: str, value, connection):
    """The value as the ORM would send it for a field of its type."""
    if value is None:
        raise ValueError(f"{name} is None: a prepared query cannot stand for IS NULL.")
    if isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, datetime.datetime):
        return _DATETIME_FIELD.get_db_prep_value(value, connection)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, uuid.UUID):
        return _UUID_FIELD.get_db_prep_value(value, connection)
    raise TypeError(f"{name}: a prepared query takes plain values, not {type(value).__name__}.")


@dataclass
class _Compiled:
    sql: str
    params: list  # constants, and _Slot where a value is bound
    slots: list[tuple[int, str]]
    compiler: Any  # the compiler after its setup: columns, converters, select_related
    converters: list  # [(position, (converter, …), expression)]
    kind: str  # "models", "tuples", "flat"
    init_list: list[str] | None = None
    model_fields: tuple[int, int] | None = None
    related_populators: list | None = None
    annotation_col_map: dict | None = None
    prefetch: tuple = ()


def _converted(row, converters, connection) -> list:
    """A row's values as Python values (what the compiler's converters do)."""
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row


def _normalised(sql: str) -> str:
    # Django wraps an expression on the right of a lookup in parentheses.
    return sql.replace("(%s)", "%s")


class PreparedQuery:
    def __init__(self, build: Callable[..., models.QuerySet]):
        self._build = build
        self._compiled: dict[tuple, _Compiled] = {}
        self._models: dict[tuple, type[models.Model]] = {}
        functools.update_wrapper(self, build)

    def queryset(self, *, shape: dict | None = None, **values) -> models.QuerySet:
        """The plain queryset with these values (what the prepared query stands for)."""
        return self._build(_Values(values), **(shape or {}))

    def __call__(self, *, shape: dict | None = None, **values) -> list:
        """The rows, for these values. ``shape``: the builder's keyword arguments that
        change the SQL itself (an optional filter, a limit): one compiled query each."""
        shape = shape or {}
        shape_key = tuple(sorted(shape.items()))
        model = self._model(shape, shape_key)
        alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
        connection = connections[alias]
        key = (alias, connection.vendor, shape_key)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias, shape)
        params = list(compiled.params)
        for position, name in compiled.slots:
            try:
                value = values[name]
            except KeyError:
                raise TypeError(f"{self.__name__}() needs a value for {name!r}.") from None
            params[position] = _db_value(name, value, connection)
        if getattr(settings, "RELAIS_PREPARED_QUERIES_CHECK", False):
            self._check(alias, compiled.sql, params, values, shape)
        return self._run(compiled, connection, alias, params)

    def _model(self, shape: dict, shape_key: tuple):
        # The model routes the read (before anything is compiled for a connection).
        model = self._models.get(shape_key)
        if model is None:
            model = self._models[shape_key] = self._build(_Placeholders(), **shape).model
        return model

    def _compile(self, alias: str, shape: dict) -> _Compiled:
        queryset = self._build(_Placeholders(), **shape)
        rows_of = queryset._iterable_class
        if rows_of not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
            raise TypeError("A prepared query returns model rows or values_list rows.")
        if queryset.query.select_for_update:
            raise TypeError("A prepared query does not lock rows (select_for_update).")
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # The query asks for nothing whatever the values (an empty slice: [0:0]).
            return _Compiled(sql="", params=[], slots=[], compiler=None, converters=[], kind="")
        params = list(params)
        # A Param compiled by the ORM leaves a _Slot; one given to RawSQL stays itself.
        slots = [
            (i, value.name) for i, value in enumerate(params) if isinstance(value, _Slot | Param)
        ]
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        compiled = _Compiled(
            sql=sql,
            params=params,
            slots=slots,
            compiler=compiler,
            converters=list(compiler.get_converters(fields).items()),
            kind="models",
            prefetch=tuple(queryset._prefetch_related_lookups),
        )
        if rows_of is ModelIterable:
            klass_info = compiler.klass_info
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            compiled.model_fields = (start, end)
            compiled.init_list = [column[0].target.attname for column in compiler.select[start:end]]
            compiled.related_populators = get_related_populators(klass_info, compiler.select, alias)
            compiled.annotation_col_map = compiler.annotation_col_map or {}
        else:
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            if list(queryset._fields or names) != names:
                raise TypeError("values_list() of a prepared query lists its fields in order.")
            compiled.kind = (
                "flat" if queryset._iterable_class is FlatValuesListIterable else "tuples"
            )
        return compiled

    def _run(self, compiled: _Compiled, connection, alias: str, params: list) -> list:
        if not compiled.sql:
            return []
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        if compiled.kind == "flat":
            return [row[0] for row in rows]
        if compiled.kind == "tuples":
            return [tuple(row) for row in rows]
        model = compiler.klass_info["model"]
        start, end = compiled.model_fields
        objects = []
        for row in rows:
            obj = model.from_db(alias, compiled.init_list, row[start:end])
            for populator in compiled.related_populators:
                populator.populate(row, obj)
            for attribute, position in compiled.annotation_col_map.items():
                setattr(obj, attribute, row[position])
            objects.append(obj)
        if compiled.prefetch and objects:
            prefetch_related_objects(objects, *compiled.prefetch)
        return objects

    def _check(self, alias: str, sql: str, params: list, values: dict, shape: dict) -> None:
        direct = self.queryset(shape=shape, **values)
        try:
            direct_sql, direct_params = direct.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            direct_sql, direct_params = "", []
        if _normalised(direct_sql) != _normalised(sql) or list(direct_params) != params:
            raise PreparedQueryMismatch(
                f"{self.__name__}: the prepared query is not the queryset it stands for.\n"
                f"prepared: {sql} {params}\nqueryset: {direct_sql} {list(direct_params)}"
            )


class PreparedInsert:
    """The INSERT of one row of ``model``, its SQL written once per database: for rows
    written on every page (the access log). What ``obj.save(force_insert=True)`` does for
    a model without signal receivers and without a database default: each field's
    ``pre_save`` (encryption, ``auto_now_add``), its database value, the new primary key."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self._statements: dict[str, tuple[str, list, bool]] = {}

    def _statement(self, connection) -> tuple[str, list, bool]:
        statement = self._statements.get(connection.vendor)
        if statement is None:
            meta, quote = self.model._meta, connection.ops.quote_name
            fields = [field for field in meta.concrete_fields if field is not meta.pk]
            returning = connection.features.can_return_columns_from_insert
            # Only the model's table and column names are interpolated; values are parameters.
            sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608
                quote(meta.db_table),
                ", ".join(quote(field.column) for field in fields),
                ", ".join(["%s"] * len(fields)),
                f" RETURNING {quote(meta.pk.column)}" if returning else "",
            )
            statement = self._statements[connection.vendor] = (sql, fields, returning)
        return statement

    def __call__(self, obj: models.Model, *, using: str = DEFAULT_DB_ALIAS) -> None:
        connection = connections[using]
        sql, fields, returning = self._statement(connection)
        values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            pk = cursor.fetchone()[0] if returning else cursor.lastrowid
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using


def set_prefetched(instance: models.Model, name: str, rows: list) -> None:
    """Hand ``rows`` to ``instance.<name>.all()``, as ``prefetch_related(name)`` does: the
    relation's own queryset (so that a further ``.filter()`` still asks the database),
    already evaluated."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def prepared(build: Callable[..., models.QuerySet]) -> PreparedQuery:
    """Decorate a function ``build(p, **shape) -> QuerySet`` whose changing values are
    ``p.<name>``."""
    return PreparedQuery(build)
