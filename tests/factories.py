"""factory_boy factories. Every tenant row takes its organisation from its parent."""

import datetime

import factory
from django.utils import timezone

from relais.accounts.enums import EmployerKind, OrganisationKind, Role
from relais.accounts.models import Employer, Establishment, Membership, Organisation, Team, User
from relais.cases import enums as case_enums
from relais.cases.models import (
    Action,
    Appointment,
    Case,
    CaseReferent,
    CaseShare,
    Concern,
    FinancialAid,
    Goal,
    Intervention,
    Note,
    Request,
    SupportPlan,
    Task,
)
from relais.cases.selectors import day_start
from relais.people.models import Household, HouseholdMember, Person
from relais.security.models import SupervisionShare

TEST_PASSWORD = "Mot-de-passe-test-2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Service social n°{n}")
    kind = OrganisationKind.SSIE
    require_two_factor = False


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Équipe {n}")


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    kind = EmployerKind.PRIVATE_COMPANY


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    employer = factory.SubFactory(EmployerFactory)
    organisation = factory.SelfAttribute("employer.organisation")
    name = factory.Sequence(lambda n: f"Établissement {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user and their membership: ``UserFactory(organisation=org, role="manager")``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    # Fixed, uncommon names: a page shows its user's name, and tests check that a person's
    # name (Hélène, Dupont…) is absent from pages that must not show it — a random French
    # name for the manager once made such a test fail.
    first_name = factory.Sequence(lambda n: f"Agent{n}")
    last_name = factory.Sequence(lambda n: f"Xoustal{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        organisation=None,
        role=Role.SOCIAL_WORKER,
        team=None,
        employer=None,
        **kwargs,
    ):
        user = super()._create(model_class, *args, **kwargs)
        if organisation is None:
            organisation = OrganisationFactory()
        Membership.objects.create(
            organisation=organisation, user=user, role=role, team=team, employer=employer
        )
        return user

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"concern-{n}")
    label = factory.Sequence(lambda n: f"Problématique {n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    organisation = factory.SubFactory(OrganisationFactory)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    organisation = factory.SelfAttribute("household.organisation")
    first_name = factory.Faker("first_name", locale="fr_FR")
    relation = "child"
    birth_date = datetime.date(2015, 5, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_date = datetime.date(1980, 3, 14)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case; ``referent=user`` makes the user its referent."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    status = case_enums.CaseStatus.ACTIVE

    @factory.post_generation
    def referent(self, create, user, **kwargs):
        if create and user is not None:
            CaseReferent.objects.create(organisation=self.organisation, case=self, user=user)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    kind = case_enums.InterventionKind.OFFICE_INTERVIEW
    occurred_at = factory.LazyFunction(timezone.now)
    duration_minutes = 45
    author = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    author = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = case_enums.NoteKind.FACT
    body = "Madame explique que le loyer n'est plus payé depuis deux mois."


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    origin = case_enums.RequestOrigin.PERSON
    channel = case_enums.RequestChannel.PHONE
    received_on = factory.LazyFunction(timezone.localdate)
    summary = "Demande de rendez-vous au sujet d'un arrêt maladie."
    received_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation"), role=Role.SECRETARY
    )


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    assignee = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    title = "Rappeler la personne"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))


def later_today():
    """A moment still to come and still today in the service's time zone: two hours from now,
    or half-way to midnight when the evening is shorter than that (a fixture booked at
    now + 2 h after 22:00 fell on tomorrow and left "today's appointments" empty)."""
    now = timezone.localtime()
    midnight = day_start(now.date() + datetime.timedelta(days=1))
    return min(now + datetime.timedelta(hours=2), now + (midnight - now) / 2)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    worker = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    created_by = factory.SelfAttribute("worker")
    starts_at = factory.LazyFunction(later_today)
    kind = case_enums.InterventionKind.OFFICE_INTERVIEW


class FinancialAidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialAid

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    kind = case_enums.AidKind.EMERGENCY_GRANT
    funder = "CSE"
    amount_requested = 300
    requested_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )


# --- Partners and referrals (relais.partners) ------------------------------------------

from relais.partners import enums as partner_enums  # noqa: E402
from relais.partners.models import (  # noqa: E402
    Consent,
    Contact,
    Partner,
    PartnerService,
    Referral,
)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Association partenaire n°{n}")
    kind = partner_enums.PartnerKind.ASSOCIATION
    origin = partner_enums.PartnerOrigin.LOCAL
    city = "Bordeaux"
    postal_code = "33000"


class PartnerServiceFactory(factory.django.DjangoModelFactory):
    """A service; its thématiques are indexed for search by the ``thematiques`` it is given."""

    class Meta:
        model = PartnerService
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    organisation = factory.SelfAttribute("partner.organisation")
    name = factory.Sequence(lambda n: f"Service n°{n}")
    thematiques = factory.LazyFunction(
        lambda: ["difficultes-financieres--situation-dendettement-surendettement"]
    )

    @factory.post_generation
    def index_thematiques(self, create, extracted, **kwargs):
        if create:
            from relais.partners.services import _sync_thematiques

            _sync_thematiques(self)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    organisation = factory.SelfAttribute("partner.organisation")
    name = factory.Faker("name", locale="fr_FR")
    role = "Conseillère"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    partner = factory.SubFactory(
        PartnerFactory, organisation=factory.SelfAttribute("..organisation")
    )
    created_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )
    request = "Ouverture des droits à l'aide au logement."
    shared_items = factory.LazyFunction(lambda: ["identity"])
    prepared_on = factory.LazyFunction(timezone.localdate)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    referral = factory.SubFactory(ReferralFactory)
    organisation = factory.SelfAttribute("referral.organisation")
    case = factory.SelfAttribute("referral.case")
    given_by = partner_enums.ConsentGiver.PERSON
    items = factory.LazyAttribute(lambda o: list(o.referral.shared_items))
    recipient = factory.LazyAttribute(lambda o: o.referral.partner.name)
    given_on = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    form = partner_enums.ConsentForm.ORAL
    recorded_by = factory.SelfAttribute("referral.created_by")


# --- Budget (relais.budget) -----------------------------------------------------------


class BudgetFactory(factory.django.DjangoModelFactory):
    """A month of a person's budget: ``BudgetFactory(person=case.person, month=date(…, 1))``."""

    class Meta:
        model = "budget.Budget"

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    created_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.BudgetLine"

    budget = factory.SubFactory(BudgetFactory)
    organisation = factory.SelfAttribute("budget.organisation")
    kind = "resource"
    category = "salary"
    amount = 1500
    holder = "person"

    class Params:
        charge = factory.Trait(kind="charge", category="rent", amount=650, holder="household")


class DebtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.Debt"

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    creditor = factory.Sequence(lambda n: f"Créancier {n}")
    kind = "consumer_credit"
    amount_owed = 3000
    monthly_payment = 120
    arrears = 0
    created_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )


# --- Added for the secrecy work (plans, shares, supervision) ---------------------------


class SupportPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPlan

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    started_on = factory.LazyFunction(timezone.localdate)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(SupportPlanFactory)
    organisation = factory.SelfAttribute("plan.organisation")
    person_words = "Garder mon logement"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    organisation = factory.SelfAttribute("goal.organisation")
    description = "Appeler le bailleur"
    owner = case_enums.ActionOwner.PERSON


class CaseShareFactory(factory.django.DjangoModelFactory):
    """``CaseShareFactory(case=case, shared_by=alice, shared_with=bob)``: active for 10 days."""

    class Meta:
        model = CaseShare

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    shared_with = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )
    shared_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )
    reason = "Congé de la référente"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))


class SupervisionShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionShare

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    supervisor = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation"), role=Role.SUPERVISOR
    )
    shared_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..organisation")
    )
    question = "Comment soutenir sans se substituer ?"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
