"""The rules of professional secrecy, one question at a time."""

import datetime

import pytest
from django.utils import timezone

from relais.cases.models import BreakGlassAccess, Case, CaseShare, Note
from relais.policy import rules
from relais.policy.cache import decision_cache, forget
from relais.security.models import SupervisionShare
from tests import factories


@pytest.fixture
def case(alice, organisation):
    return factories.CaseFactory(person__organisation=organisation, referent=alice)


def _share(case, alice, user, *, starts_in=0, ends_in=10, revoked=False):
    today = timezone.localdate()
    return CaseShare.objects.create(
        organisation=case.organisation,
        case=case,
        shared_with=user,
        shared_by=alice,
        reason="Congé de la référente",
        starts_on=today + datetime.timedelta(days=starts_in),
        ends_on=today + datetime.timedelta(days=ends_in),
        revoked_at=timezone.now() if revoked else None,
    )


def _break_glass(case, user, *, hours=2):
    return BreakGlassAccess.objects.create(
        organisation=case.organisation,
        case=case,
        user=user,
        reason="Appel urgent de la personne",
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )


def _supervision(case, alice, supervisor, *, starts_in=0, ends_in=10, revoked=False):
    today = timezone.localdate()
    return SupervisionShare.objects.create(
        organisation=case.organisation,
        case=case,
        supervisor=supervisor,
        shared_by=alice,
        starts_on=today + datetime.timedelta(days=starts_in),
        ends_on=today + datetime.timedelta(days=ends_in),
        revoked_at=timezone.now() if revoked else None,
    )


# --- Cases -----------------------------------------------------------------------------


def test_the_referent_sees_edits_shares_and_exports_her_case(alice, case):
    assert rules.can_see_case(alice, case)
    assert rules.can_edit_case(alice, case)
    assert rules.can_share_case(alice, case)
    assert rules.can_export_case(alice, case)
    assert rules.is_referent(alice, case)
    assert not rules.needs_break_glass(alice, case)
    assert Case.objects.visible_to(alice).filter(pk=case.pk).exists()


def test_a_colleague_sees_nothing_until_it_is_shared(bob, case, alice):
    assert not rules.can_see_case(bob, case)
    assert not rules.can_edit_case(bob, case)
    assert rules.needs_break_glass(bob, case)
    _share(case, alice, bob)
    assert rules.can_see_case(bob, case)
    assert rules.can_edit_case(bob, case)
    assert not rules.can_share_case(bob, case)  # only a referent shares


@pytest.mark.parametrize(
    "starts_in, ends_in, revoked, visible",
    [
        (0, 0, False, True),  # ends today: still visible today
        (-10, -1, False, False),  # ended yesterday
        (1, 10, False, False),  # not started yet
        (0, 10, True, False),  # revoked
    ],
)
def test_sharing_expires(alice, bob, case, starts_in, ends_in, revoked, visible):
    _share(case, alice, bob, starts_in=starts_in, ends_in=ends_in, revoked=revoked)
    assert rules.can_see_case(bob, case) is visible
    assert Case.objects.visible_to(bob).filter(pk=case.pk).exists() is visible
    assert Case.objects.editable_by(bob).filter(pk=case.pk).exists() is visible


def test_a_break_glass_read_opens_the_case_for_reading_only_until_it_expires(manager, case):
    assert rules.can_break_glass(manager, case)
    assert not rules.can_see_case(manager, case)
    access = _break_glass(case, manager)
    assert rules.can_see_case(manager, case)
    assert not rules.can_edit_case(manager, case)
    assert not rules.can_export_case(manager, case)
    access.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    access.save()
    assert not rules.can_see_case(manager, case)


def test_secretaries_and_others_cannot_break_glass(
    secretary, employer_viewer, supervisor, admin_user, case
):
    for user in (secretary, employer_viewer, supervisor, admin_user):
        assert not rules.can_break_glass(user, case)
        assert not rules.can_see_case(user, case)
        _break_glass(case, user)
        assert not rules.can_see_case(user, case), "a break-glass row alone opens nothing"


def test_the_manager_sees_metadata_not_content(manager, secretary, case):
    assert rules.can_see_case_metadata(manager, case)
    assert rules.can_see_case_metadata(secretary, case)
    assert not rules.can_see_case(manager, case)
    assert Case.objects.listable_by(manager).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(manager).exists()


def test_another_organisation_gets_nothing_at_all(charlie, case):
    for question in (
        rules.can_see_case,
        rules.can_edit_case,
        rules.can_see_case_metadata,
        rules.can_break_glass,
        rules.is_referent,
        rules.can_supervise_case,
        rules.can_see_access_log_of_case,
    ):
        assert not question(charlie, case), question.__name__
    assert not rules.can_see_person(charlie, case.person)
    assert not Case.objects.visible_to(charlie).exists()
    assert not Case.objects.listable_by(charlie).exists()


def test_nobody_deletes_a_case(alice, admin_user, case):
    assert not rules.can_delete_case(alice, case)
    assert not rules.can_delete_case(admin_user, case)


# --- Notes ------------------------------------------------------------------------------


def test_an_assessment_note_stays_with_its_author_and_named_colleagues(alice, bob, manager, case):
    note = factories.NoteFactory(case=case, author=alice, kind="assessment")
    fact = factories.NoteFactory(case=case, author=alice, kind="fact")
    _share(case, alice, bob)
    _break_glass(case, manager)
    assert rules.can_see_note(alice, note)
    assert not rules.can_see_note(bob, note)
    assert not rules.can_see_note(manager, note), "not even through a break-glass read"
    assert rules.can_see_note(manager, fact)
    assert set(Note.objects.visible_to(manager)) == {fact}
    note.share_links.create(organisation=case.organisation, user=bob)
    assert rules.can_see_note(bob, note)


def test_a_note_is_withdrawn_by_its_author_only_on_the_day(alice, bob, case):
    note = factories.NoteFactory(case=case, author=alice)
    assert rules.can_delete_note(alice, note)
    assert not rules.can_delete_note(bob, note)
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    note.refresh_from_db()
    assert not rules.can_delete_note(alice, note)


# --- Persons ----------------------------------------------------------------------------


def test_identity_for_staff_situation_for_those_who_see_a_case(
    alice, bob, secretary, manager, employer_viewer, supervisor, admin_user, case
):
    person = case.person
    for user in (alice, bob, secretary, manager):
        assert rules.can_see_person(user, person)
    for user in (employer_viewer, supervisor, admin_user):
        assert not rules.can_see_person(user, person)
    assert rules.can_see_person_situation(alice, person)
    assert not rules.can_see_person_situation(bob, person)
    assert not rules.can_see_person_situation(secretary, person)
    assert rules.can_export_person(alice, person)
    assert not rules.can_export_person(manager, person)


def test_an_anonymised_person_is_no_longer_seen(alice, case):
    case.person.anonymised_at = timezone.now()
    assert not rules.can_see_person(alice, case.person)


# --- Supervision ------------------------------------------------------------------------


def test_the_supervisor_sees_only_what_is_shared_for_supervision(alice, supervisor, case):
    assert not rules.can_supervise_case(supervisor, case)
    assert not Case.objects.supervised_by(supervisor).exists()
    share = _supervision(case, alice, supervisor)
    assert rules.can_supervise_case(supervisor, case)
    assert not rules.can_see_case(supervisor, case), "never the case itself"
    assert list(Case.objects.supervised_by(supervisor)) == [case]
    assert list(SupervisionShare.objects.visible_to(supervisor)) == [share]


def test_supervision_shares_expire_and_can_be_revoked(alice, supervisor, case):
    _supervision(case, alice, supervisor, starts_in=-20, ends_in=-1)
    assert not rules.can_supervise_case(supervisor, case)
    _supervision(case, alice, supervisor, revoked=True)
    assert not rules.can_supervise_case(supervisor, case)
    assert not SupervisionShare.objects.visible_to(supervisor).exists()


def test_a_social_worker_named_as_supervisor_gets_nothing(alice, bob, case):
    _supervision(case, alice, bob)
    assert not rules.can_supervise_case(bob, case)
    assert not rules.can_see_case(bob, case)


# --- Statistics, administration, second factor ---------------------------------------


def test_employer_viewer_sees_only_their_own_company(employer_viewer, organisation, manager):
    own = employer_viewer.membership.employer
    other = factories.EmployerFactory(organisation=organisation)
    assert rules.can_see_employer_statistics(employer_viewer, own)
    assert not rules.can_see_employer_statistics(employer_viewer, other)
    assert rules.can_see_employer_statistics(manager, other)


def test_only_the_admin_filters_the_access_log(admin_user, alice, manager):
    assert rules.can_filter_access_log(admin_user)
    assert not rules.can_filter_access_log(alice)
    assert not rules.can_filter_access_log(manager)


def test_two_factor_follows_the_organisation_and_the_role(
    alice, secretary, employer_viewer, supervisor, organisation
):
    assert not rules.needs_two_factor(alice)
    organisation.require_two_factor = True
    organisation.save()
    for user in (alice, secretary, employer_viewer, supervisor):
        user = type(user).objects.get(pk=user.pk)
        expected = user.membership.role in rules.TWO_FACTOR_ROLES
        assert rules.needs_two_factor(user) is expected


# --- Per-request memory of decisions ---------------------------------------------------


def test_a_page_asking_every_case_question_pays_one_query(alice, case, django_assert_num_queries):
    rules.membership(alice)
    with decision_cache(), django_assert_num_queries(1):
        for _ in range(3):
            assert rules.can_see_case(alice, case)
            assert rules.can_edit_case(alice, case)
            assert rules.is_referent(alice, case)
            assert rules.can_share_case(alice, case)
            assert rules.can_export_case(alice, case)
            assert not rules.can_supervise_case(alice, case)


def test_outside_a_request_every_answer_is_fresh(alice, bob, case):
    assert not rules.can_see_case(bob, case)
    _share(case, alice, bob)
    assert rules.can_see_case(bob, case)


def test_forget_drops_remembered_answers(alice, bob, case):
    with decision_cache():
        assert not rules.can_see_case(bob, case)
        _share(case, alice, bob)
        assert not rules.can_see_case(bob, case), "remembered within the request"
        forget()
        assert rules.can_see_case(bob, case)


def test_each_request_starts_with_an_empty_memory(client, alice, bob, case):
    from relais.policy import cache

    with decision_cache() as outer:
        rules.can_see_case(bob, case)
        assert outer
    assert cache._decisions.get() is None


# --- The one-case access probe says what the querysets say ------------------------------


def _arrange(setup, case, alice, bob, supervisor):
    """One way (or none) for bob or the supervisor to reach alice's case."""
    if setup == "share today only":
        _share(case, alice, bob, starts_in=0, ends_in=0)
    elif setup == "share ended yesterday":
        _share(case, alice, bob, starts_in=-10, ends_in=-1)
    elif setup == "share starts tomorrow":
        _share(case, alice, bob, starts_in=1, ends_in=10)
    elif setup == "share revoked":
        _share(case, alice, bob, revoked=True)
    elif setup == "share to someone else":
        _share(case, alice, supervisor)
    elif setup == "break-glass active":
        _break_glass(case, bob)
    elif setup == "break-glass expired":
        _break_glass(case, bob, hours=-1)
    elif setup == "supervision active":
        _supervision(case, alice, bob)
    elif setup == "supervision ended":
        _supervision(case, alice, bob, starts_in=-10, ends_in=-1)
    elif setup == "supervision revoked":
        _supervision(case, alice, bob, revoked=True)


ACCESS_SETUPS = [
    "nothing",
    "share today only",
    "share ended yesterday",
    "share starts tomorrow",
    "share revoked",
    "share to someone else",
    "break-glass active",
    "break-glass expired",
    "supervision active",
    "supervision ended",
    "supervision revoked",
]


@pytest.mark.parametrize("setup", ACCESS_SETUPS)
def test_the_one_case_probe_agrees_with_the_queryset(alice, bob, supervisor, case, setup):
    from relais.policy.querysets import case_access_flags

    _arrange(setup, case, alice, bob, supervisor)
    for user in (alice, bob, supervisor):
        row = (
            Case.objects.with_access_of(user)
            .filter(pk=case.pk)
            .values_list("is_referent", "is_shared", "is_break_glass", "is_supervised")
            .get()
        )
        assert case_access_flags(user, case.organisation_id, case.pk) == row, (setup, user)


@pytest.mark.parametrize("setup", ACCESS_SETUPS)
def test_the_readable_case_flag_agrees_with_visible_to(alice, bob, supervisor, case, setup):
    """The person search's "mon dossier" flag (SQL probes) says what ``Case.visible_to``
    says, for the roles that read cases (the search asks it only for them)."""
    from django.db.models import Exists, OuterRef

    from relais.people.models import Person

    _arrange(setup, case, alice, bob, supervisor)
    for user in (alice, bob):
        assert rules.has_role(user, rules.CONTENT_ROLES)
        cases = Case.objects.visible_to(user).filter(person_id=OuterRef("pk"))
        expected = Person.objects.annotate(flag=Exists(cases)).get(pk=case.person_id).flag
        flagged = (
            Person.objects.with_readable_case_flag(
                organisation_id=case.organisation_id, user_id=user.pk
            )
            .get(pk=case.person_id)
            .has_my_case
        )
        assert bool(flagged) is expected, (setup, user)
