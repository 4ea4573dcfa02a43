"""Querysets that apply the policy rules in SQL: ``Model.objects.visible_to(user)``.

Case visibility is written as correlated EXISTS probes so that a lookup of one row (by
``public_id``) stays an index lookup whatever the size of the organisation; list pages
start from a narrower index (the worker's referent links) and add these filters.
"""

from django.apps import apps
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from relais.accounts.enums import Role
from relais.cases.enums import CaseStatus
from relais.policy import rules


def _model(label: str):
    return apps.get_model(label)


class TenantQuerySet(models.QuerySet):
    def of_organisation(self, user):
        org = rules.organisation_id(user)
        if org is None:
            return self.none()
        return self.filter(organisation_id=org)


class PersonQuerySet(TenantQuerySet):
    def visible_to(self, user):
        """Identity and contact: the organisation's staff who work with persons."""
        if not rules.has_role(user, rules.PERSON_ROLES):
            return self.none()
        return self.of_organisation(user).filter(anonymised_at__isnull=True)

    def with_case_visible_to(self, user):
        """Persons whose social file (situation, cases) the user may read."""
        cases = _model("cases.Case").objects.visible_to(user).filter(person_id=OuterRef("pk"))
        return self.visible_to(user).filter(Exists(cases))

    def listed_in(self, *, organisation_id):
        """``visible_to`` once the user's role is checked (``rules.PERSON_ROLES``): the
        persons of ``organisation_id``, anonymised ones left out. The value may be a
        placeholder of a prepared query: the person search reads its rows that way."""
        return self.filter(organisation_id=organisation_id, anonymised_at__isnull=True)

    def with_readable_case_flag(self, *, organisation_id, user_id, today=None, now=None):
        """Annotate ``has_my_case``: the person has a case that the user ``user_id`` may
        read, as ``Case.objects.visible_to`` says (referent, active share, active
        break-glass), once her role is checked (``rules.CONTENT_ROLES``; otherwise the
        flag is false). Written in SQL with the probes of ``with_access_flags``: the ORM's
        version costs about 2.5 ms of Python for each search. The values may be
        placeholders of a prepared query. ``tests/security/test_policy_rules.py`` checks
        that both say the same thing."""
        ops = connection.ops
        cases = ops.quote_name(_model("cases.Case")._meta.db_table)
        outer = f"{ops.quote_name(self.model._meta.db_table)}.{ops.quote_name('id')}"
        probes = _access_probes(
            user_id=user_id,
            org=organisation_id,
            case_ref="readable_case.id",
            case_params=[],
            today=today,
            now=now,
        )[:3]  # supervision is a pseudonymised view, not the social file
        access = " OR ".join(f"EXISTS({probe})" for probe, _ in probes)
        # Only table and column names are interpolated; values are parameters.
        sql = (
            f"EXISTS(SELECT 1 FROM {cases} readable_case WHERE "  # noqa: S608
            f"readable_case.organisation_id = %s AND readable_case.person_id = {outer} "
            f"AND ({access}))"
        )
        params = [organisation_id, *(param for _, values in probes for param in values)]
        return self.annotate(
            has_my_case=RawSQL(sql, params, output_field=models.BooleanField())  # noqa: S611
        )


def _referent_of(user, org):
    return _model("cases.CaseReferent").objects.filter(
        organisation_id=org, user_id=user.pk, case_id=OuterRef("pk")
    )


def _active_share_to(user, org):
    today = timezone.localdate()
    return _model("cases.CaseShare").objects.filter(
        organisation_id=org,
        shared_with_id=user.pk,
        case_id=OuterRef("pk"),
        starts_on__lte=today,
        ends_on__gte=today,
        revoked_at__isnull=True,
    )


def _active_break_glass(user, org):
    return _model("cases.BreakGlassAccess").objects.filter(
        organisation_id=org, user_id=user.pk, case_id=OuterRef("pk"), expires_at__gt=timezone.now()
    )


def _active_supervision_to(user, org):
    today = timezone.localdate()
    return _model("security.SupervisionShare").objects.filter(
        organisation_id=org,
        supervisor_id=user.pk,
        case_id=OuterRef("pk"),
        starts_on__lte=today,
        ends_on__gte=today,
        revoked_at__isnull=True,
    )


def _sql_value(value, adapt):
    """A value for hand-written SQL, adapted for the database; a placeholder of a prepared
    query (``relais.scale.prepared``) is left as it is: it is adapted when bound."""
    return value if isinstance(value, models.Expression) else adapt(value)


def _access_probes(
    *, user_id, org, case_ref: str, case_params: list, today=None, now=None
) -> list[tuple[str, list]]:
    """The four probes of ``CaseQuerySet.with_access_of`` (the definitions above), written in
    SQL: referent, shared, break-glass, supervision. ``case_ref`` is where the case id comes
    from: ``%s`` (with ``case_params``) or the outer query's column. Every case page asks
    this: building the same question with the ORM's four EXISTS costs about 1.5 ms of
    Python, against some µs here. ``tests/security/test_policy_rules.py`` checks that both
    say the same thing. ``today`` and ``now`` default to the present moment."""
    ops = connection.ops
    today = _sql_value(timezone.localdate() if today is None else today, ops.adapt_datefield_value)
    now = _sql_value(timezone.now() if now is None else now, ops.adapt_datetimefield_value)

    def table(label: str) -> str:
        return ops.quote_name(_model(label)._meta.db_table)

    # Only table and column names from the models are interpolated; values are parameters.
    where = f"WHERE organisation_id = %s AND case_id = {case_ref}"
    active = "AND starts_on <= %s AND ends_on >= %s AND revoked_at IS NULL"
    return [
        (
            f"SELECT 1 FROM {table('cases.CaseReferent')} {where} AND user_id = %s",  # noqa: S608
            [org, *case_params, user_id],
        ),
        (
            f"SELECT 1 FROM {table('cases.CaseShare')} {where} AND shared_with_id = %s {active}",  # noqa: S608
            [org, *case_params, user_id, today, today],
        ),
        (
            f"SELECT 1 FROM {table('cases.BreakGlassAccess')} {where}"  # noqa: S608
            " AND user_id = %s AND expires_at > %s",
            [org, *case_params, user_id, now],
        ),
        (
            f"SELECT 1 FROM {table('security.SupervisionShare')} {where}"  # noqa: S608
            f" AND supervisor_id = %s {active}",
            [org, *case_params, user_id, today, today],
        ),
    ]


ACCESS_FLAGS = ("is_referent", "is_shared", "is_break_glass", "is_supervised")


def case_access_flags(user, org: int, case_id: int) -> tuple[bool, bool, bool, bool]:
    """How the user reaches one case: (referent, shared, break-glass, supervision)."""
    probes = _access_probes(user_id=user.pk, org=org, case_ref="%s", case_params=[case_id])
    sql = "SELECT " + ", ".join(f"EXISTS({probe})" for probe, _ in probes)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in probes for param in params])
        row = cursor.fetchone()
    return tuple(bool(flag) for flag in row)


class CaseQuerySet(TenantQuerySet):
    def visible_to(self, user):
        """Cases whose content the user may read."""
        m = rules.membership(user)
        if m is None or m.role not in rules.CONTENT_ROLES:
            return self.none()
        org = m.organisation_id
        return self.filter(organisation_id=org).filter(
            Exists(_referent_of(user, org))
            | Exists(_active_share_to(user, org))
            | Exists(_active_break_glass(user, org))
        )

    def editable_by(self, user):
        """Cases the user may write in: referents and colleagues it is shared with."""
        m = rules.membership(user)
        if m is None or m.role not in rules.CASEWORK_ROLES:
            return self.none()
        org = m.organisation_id
        return self.filter(organisation_id=org).filter(
            Exists(_referent_of(user, org)) | Exists(_active_share_to(user, org))
        )

    def referent_is(self, user):
        """The user's own caseload (fast path: starts from the referent index)."""
        org = rules.organisation_id(user)
        if org is None or not rules.has_role(user, rules.CASEWORK_ROLES):
            return self.none()
        return self.referent_of(organisation_id=org, user_id=user.pk)

    def referent_of(self, *, organisation_id, user_id):
        """``referent_is`` for the worker ``user_id``, once her role is checked (the values
        may be placeholders of a prepared query)."""
        ids = _model("cases.CaseReferent").objects.filter(
            organisation_id=organisation_id, user_id=user_id
        )
        return self.filter(organisation_id=organisation_id, pk__in=ids.values("case_id"))

    def latest_opened_referent_of(self, *, organisation_id, user_id, limit: int):
        """``referent_of``, only her ``limit`` cases opened last, read from her links
        (``CaseReferent.case_opened_on``, indexed): the cost does not follow her number
        of cases."""
        ids = (
            _model("cases.CaseReferent")
            .objects.filter(organisation_id=organisation_id, user_id=user_id)
            .order_by("-case_opened_on", "-case_id")
            .values("case_id")[:limit]
        )
        return self.filter(organisation_id=organisation_id, pk__in=ids)

    def open_referent_is(self, user):
        """The user's open cases (the caseload), read from her open referent links only
        (``CaseReferent.case_open``): the cost follows her open cases, not her history."""
        org = rules.organisation_id(user)
        if org is None or not rules.has_role(user, rules.CASEWORK_ROLES):
            return self.none()
        return self.open_referent_of(organisation_id=org, user_id=user.pk)

    def open_referent_of(self, *, organisation_id, user_id):
        """``open_referent_is`` for the worker ``user_id``, once her role is checked. The
        values may be placeholders of a prepared query: the caseload is read that way."""
        ids = _model("cases.CaseReferent").objects.filter(
            organisation_id=organisation_id, user_id=user_id, case_open=True
        )
        return self.filter(organisation_id=organisation_id, pk__in=ids.values("case_id")).exclude(
            status=CaseStatus.CLOSED
        )

    def listable_by(self, user):
        """Case metadata (status, referent, dates; no content): workload and routing."""
        if rules.has_role(user, {Role.MANAGER, Role.SECRETARY}):
            return self.of_organisation(user)
        return self.visible_to(user)

    def with_access_of(self, user):
        """Annotate how the user reaches each case: ``is_referent``, ``is_shared``,
        ``is_break_glass``, ``is_supervised`` (one query answers every case question).
        The ORM statement of these probes: pages use ``with_access_flags_of``, its SQL
        version, and a test checks that both agree."""
        org = rules.organisation_id(user)
        if org is None:
            return self.none()
        return self.filter(organisation_id=org).annotate(
            is_referent=Exists(_referent_of(user, org)),
            is_shared=Exists(_active_share_to(user, org)),
            is_break_glass=Exists(_active_break_glass(user, org)),
            is_supervised=Exists(_active_supervision_to(user, org)),
        )

    def with_access_flags_of(self, user):
        """``with_access_of``, written in SQL (``_access_probes``): for the page of one case,
        where building the ORM's probes costs more than the query."""
        org = rules.organisation_id(user)
        if org is None:
            return self.none()
        return self.with_access_flags(organisation_id=org, user_id=user.pk)

    def with_access_flags(self, *, organisation_id, user_id, today=None, now=None):
        """``with_access_flags_of`` for the user ``user_id`` of ``organisation_id``, at
        ``today`` and ``now`` (default: the present). The values may be placeholders of a
        prepared query: the case page fetches its case that way."""
        meta, quote = self.model._meta, connection.ops.quote_name
        outer = f"{quote(meta.db_table)}.{quote(meta.pk.column)}"
        probes = _access_probes(
            user_id=user_id,
            org=organisation_id,
            case_ref=outer,
            case_params=[],
            today=today,
            now=now,
        )
        return self.filter(organisation_id=organisation_id).annotate(
            **{
                flag: RawSQL(f"EXISTS({probe})", params, output_field=models.BooleanField())  # noqa: S611
                for flag, (probe, params) in zip(ACCESS_FLAGS, probes, strict=True)
            }
        )

    def supervised_by(self, user):
        """Cases a worker shared with this supervisor for supervision (pseudonymised)."""
        m = rules.membership(user)
        if m is None or m.role != Role.SUPERVISOR:
            return self.none()
        org = m.organisation_id
        return self.filter(organisation_id=org).filter(Exists(_active_supervision_to(user, org)))


class CaseScopedQuerySet(TenantQuerySet):
    """Rows that belong to one case (interventions, plans, aid…): seen with their case."""

    case_field = "case_id"

    def visible_to(self, user):
        cases = _model("cases.Case").objects.visible_to(user).filter(pk=OuterRef(self.case_field))
        return self.of_organisation(user).filter(Exists(cases))

    def in_case_visible_to(self, user, case):
        """The rows of one case, as ``visible_to(user).filter(case=case)`` gives them.

        The case question is asked once (``rules.can_see_case``, remembered for the request:
        free when the page fetched the case ``with_access_flags_of(user)`` and handed it to
        ``rules.remember_case_access``) instead of being probed again for every row.
        """
        if not rules.can_see_case(user, case):
            return self.none()
        return self.filter(organisation_id=case.organisation_id, **{self.case_field: case.pk})

    def editable_by(self, user):
        cases = _model("cases.Case").objects.editable_by(user).filter(pk=OuterRef(self.case_field))
        return self.of_organisation(user).filter(Exists(cases))


class NoteQuerySet(CaseScopedQuerySet):
    def visible_to(self, user):
        return super().visible_to(user).filter(self._readable_by(user))

    def in_case_visible_to(self, user, case):
        if not rules.can_see_case(user, case):
            return self.none()
        return self.readable_in_case(
            organisation_id=case.organisation_id, case_id=case.pk, user_id=user.pk
        )

    def readable_in_case(self, *, organisation_id, case_id, user_id):
        """The notes of one case that this user may read, once the case question has been
        answered (``rules.can_see_case``). The values may be placeholders of a prepared
        query (``relais.scale.prepared``): the case page's notes are read that way."""
        return self.filter(organisation_id=organisation_id, case_id=case_id).filter(
            self._readable_by_ids(organisation_id, user_id)
        )

    @staticmethod
    def _readable_by(user):
        return NoteQuerySet._readable_by_ids(rules.organisation_id(user), user.pk)

    @staticmethod
    def _readable_by_ids(organisation_id, user_id):
        """Facts are read with the case; an assessment by its author and the colleagues
        the author named."""
        shares = _model("cases.NoteShare").objects.filter(
            organisation_id=organisation_id, user_id=user_id, note_id=OuterRef("pk")
        )
        return Q(kind="fact") | Q(author_id=user_id) | Exists(shares)


class TaskQuerySet(TenantQuerySet):
    def visible_to(self, user):
        if rules.has_role(user, {Role.MANAGER}):
            return self.of_organisation(user)
        if not rules.has_role(user, rules.CASEWORK_ROLES):
            return self.none()
        cases = _model("cases.Case").objects.visible_to(user).filter(pk=OuterRef("case_id"))
        return self.of_organisation(user).filter(Q(assignee_id=user.pk) | Exists(cases))

    def assigned_to_self(self, user):
        """The user's own tasks: ``visible_to(user).filter(assignee=user)`` without probing
        their cases (a task given to a worker is hers to see, whatever the case)."""
        if not rules.has_role(user, rules.CASEWORK_ROLES | {Role.MANAGER}):
            return self.none()
        return self.assigned_to(organisation_id=rules.organisation_id(user), user_id=user.pk)

    def assigned_to(self, *, organisation_id, user_id):
        """``assigned_to_self`` for the user ``user_id``, once her role is checked (the
        values may be placeholders of a prepared query)."""
        return self.filter(organisation_id=organisation_id, assignee_id=user_id)


class AppointmentQuerySet(TenantQuerySet):
    def visible_to(self, user):
        if rules.has_role(user, {Role.MANAGER, Role.SECRETARY}):
            return self.of_organisation(user)
        if not rules.has_role(user, rules.CASEWORK_ROLES):
            return self.none()
        cases = _model("cases.Case").objects.visible_to(user).filter(pk=OuterRef("case_id"))
        return self.of_organisation(user).filter(Q(worker_id=user.pk) | Exists(cases))

    def with_self(self, user):
        """The user's own appointments: ``visible_to(user).filter(worker=user)`` without
        probing their cases (an appointment with a worker is hers to see)."""
        if not rules.has_role(user, rules.CASEWORK_ROLES | {Role.MANAGER, Role.SECRETARY}):
            return self.none()
        return self.with_worker(organisation_id=rules.organisation_id(user), user_id=user.pk)

    def with_worker(self, *, organisation_id, user_id):
        """``with_self`` for the user ``user_id``, once her role is checked (the values may
        be placeholders of a prepared query)."""
        return self.filter(organisation_id=organisation_id, worker_id=user_id)


class RequestQuerySet(TenantQuerySet):
    def visible_to(self, user):
        if rules.has_role(user, {Role.MANAGER, Role.SECRETARY}):
            return self.of_organisation(user)
        if not rules.has_role(user, rules.CASEWORK_ROLES):
            return self.none()
        cases = _model("cases.Case").objects.visible_to(user).filter(pk=OuterRef("case_id"))
        return self.of_organisation(user).filter(
            Q(assigned_to_id=user.pk)
            | Q(assigned_to__isnull=True, status="waiting")
            | Q(received_by_id=user.pk)
            | Exists(cases)
        )

    def waiting_for_worker(self, *, organisation_id, user_id):
        """The waiting requests given to the worker ``user_id`` or to nobody, once her role
        is checked: ``visible_to(worker)`` of those, without its case probe — a request
        given to her, and a waiting one given to nobody, are hers to see by the rule above
        (tests/www/test_home.py compares both). The values may be placeholders of a
        prepared query: the home page reads it that way."""
        return self.filter(organisation_id=organisation_id, status="waiting").filter(
            Q(assigned_to_id=user_id) | Q(assigned_to__isnull=True)
        )


class PartnerQuerySet(TenantQuerySet):
    """Directory rows (partners, their services and contacts): the organisation's own."""

    def visible_to(self, user):
        if not rules.can_see_directory(user):
            return self.none()
        return self.of_organisation(user)


class ReferralQuerySet(CaseScopedQuerySet):
    """Referrals follow their case."""


class ReportQuerySet(CaseScopedQuerySet):
    """Reports follow their case: the secretary never, the manager only when shared."""


class ReportVersionQuerySet(CaseScopedQuerySet):
    case_field = "report__case_id"


class DocumentQuerySet(TenantQuerySet):
    """A document filed in a case is seen with the case; one filed on the person only, by
    those who see one of the person's cases."""

    def visible_to(self, user):
        visible = _model("cases.Case").objects.visible_to(user)
        in_visible_case = Exists(visible.filter(pk=OuterRef("case_id")))
        of_person_seen = Exists(visible.filter(person_id=OuterRef("person_id")))
        return self.of_organisation(user).filter(
            in_visible_case | (Q(case__isnull=True) & of_person_seen)
        )

    def in_case_visible_to(self, user, case):
        """The documents filed in one case, as ``visible_to(user).filter(case=case)``."""
        if not rules.can_see_case(user, case):
            return self.none()
        return self.filter(organisation_id=case.organisation_id, case_id=case.pk)


class PersonFileCopyQuerySet(TenantQuerySet):
    """The person's copy: the workers who may write in one of the person's cases."""

    def visible_to(self, user):
        cases = (
            _model("cases.Case").objects.editable_by(user).filter(person_id=OuterRef("person_id"))
        )
        return self.of_organisation(user).filter(Exists(cases))


class SupervisionShareQuerySet(TenantQuerySet):
    def active(self):
        today = timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True)

    def visible_to(self, user):
        """The supervisor sees the active shares made to them; a worker, the ones they made."""
        m = rules.membership(user)
        if m is None:
            return self.none()
        if m.role == Role.SUPERVISOR:
            return self.of_organisation(user).active().filter(supervisor_id=user.pk)
        if m.role in rules.CASEWORK_ROLES:
            return self.of_organisation(user).filter(shared_by_id=user.pk)
        return self.none()


class AccessEventQuerySet(models.QuerySet):
    def of_organisation(self, user):
        org = rules.organisation_id(user)
        if org is None:
            return self.none()
        return self.filter(organisation_id=org)

    def filterable_by(self, user):
        """The whole access log of the organisation: its admin role only."""
        if not rules.can_filter_access_log(user):
            return self.none()
        return self.of_organisation(user)


class GroupActionQuerySet(TenantQuerySet):
    """Collective actions hold no personal data: the staff who work with persons see the
    organisation's; facilitators (and managers) change them."""

    def visible_to(self, user):
        if not rules.can_list_group_actions(user):
            return self.none()
        return self.of_organisation(user)

    def editable_by(self, user):
        m = rules.membership(user)
        if m is None or m.role not in rules.GROUP_ACTION_EDIT_ROLES:
            return self.none()
        if m.role == Role.MANAGER:
            return self.of_organisation(user)
        facilitators = _model("groups.GroupActionFacilitator").objects.filter(
            organisation_id=m.organisation_id, user_id=user.pk, group_action_id=OuterRef("pk")
        )
        return self.of_organisation(user).filter(Exists(facilitators))


class ParticipationQuerySet(TenantQuerySet):
    """A person's participation is part of their social file: seen by those who see one
    of the person's cases (``rules.can_see_participation``)."""

    def visible_to(self, user):
        cases = (
            _model("cases.Case").objects.visible_to(user).filter(person_id=OuterRef("person_id"))
        )
        return self.of_organisation(user).filter(Exists(cases))
