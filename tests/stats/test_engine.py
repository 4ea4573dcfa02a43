"""The engine against the hand-made population of tests/stats/population.py.

Every expected number below is worked out by hand in the comment above it. The same tests
run on SQLite and PostgreSQL (make test), which is how "same results on both" is checked.
"""

import datetime
from decimal import Decimal

import pytest

from relais.stats.selectors import (
    TABLE_KEYS,
    Config,
    Period,
    Scope,
    statistics_tables,
)
from tests import factories
from tests.stats.population import YEAR_2025, build_population, paris


@pytest.fixture
def pop(organisation, alice, bob):
    return build_population(organisation, alice, bob)


def tables(pop, keys=TABLE_KEYS, config=None, period=YEAR_2025, **filters):
    scope = Scope(organisation_id=pop.organisation.pk, period=period, **filters)
    return statistics_tables(scope=scope, config=config or Config(), keys=keys)


def column(table, measure="persons"):
    """{row label: value} for one column, plus the total under "Total"."""
    values = {row.label: row.values[measure] for row in table.rows}
    values["Total"] = table.total.values[measure] if table.total else None
    return values


def percents(table):
    return {row.label: row.percent for row in table.rows}


def test_it_counts_the_file_active_new_and_closed_cases(pop):
    t = tables(pop, ["activite"])["activite"]
    figures = {row.key: (row.values["count"], row.values["persons"]) for row in t.rows}
    # File active = opened on or before 31/12/2025 and not closed before 01/01/2025:
    # C1 C2 C3 C4 (closed on the first day) C5 (opened on the last day) C7 C8 C10 C11 = 9;
    # not C6 (closed 31/12/2024) nor C9 (opened 01/01/2026). P1 has two: 8 persons.
    assert figures["active"] == (9, 8)
    # Opened in 2025: C2 C3 C5 C7 C8 C11 = 6 cases of 6 persons (P1 P2 P4 P6 P7 P10).
    assert figures["opened"] == (6, 6)
    # Closed in 2025: C2 (30/06) C4 (01/01) C8 (30/11) C11 (31/12) = 4 cases, 4 persons.
    assert figures["closed"] == (4, 4)


def test_it_counts_closed_cases_by_reason_with_percentages(pop):
    t = tables(pop, ["clotures-motif"])["clotures-motif"]
    # goals_reached: C2, C11; person_ended: C4; no_contact: C8. 2/4 = 50 %, 1/4 = 25 %.
    assert column(t, "count") == {
        "Objectifs atteints": 2,
        "Fin souhaitée par la personne": 1,
        "Sans nouvelles de la personne": 1,
        "Relais pris par un autre service": 0,
        "Départ de l'entreprise / déménagement": 0,
        "Décès": 0,
        "Autre": 0,
        "Non renseigné": 0,
        "Total": 4,
    }
    assert percents(t)["Objectifs atteints"] == Decimal("50.0")
    assert percents(t)["Sans nouvelles de la personne"] == Decimal("25.0")
    assert t.total.percent == Decimal("100.0")


def test_it_counts_requests_by_origin_and_each_person_once_in_the_total(pop):
    t = tables(pop, ["demandes-origine"])["demandes-origine"]
    counts = column(t, "count")
    # Received in 2025: R1 (person) R2 R3 (occupational doctor, both P2) R4 (HR) R5 (person)
    # R6 (person, 31/12) R7 (occupational doctor); not R8 (2024) nor R9 (2026): 7.
    assert counts["La personne elle-même"] == 3
    assert counts["Médecin du travail / service de santé au travail"] == 3
    assert counts["Ressources humaines"] == 1
    assert counts["Partenaire (CAF, CPAM, association…)"] == 0
    assert counts["Total"] == 7
    persons = column(t, "persons")
    # Occupational doctor: P2 twice and P5: 2 persons. Total: P1 P2 P3 P7 P8 P5 = 6.
    assert persons["Médecin du travail / service de santé au travail"] == 2
    assert persons["Total"] == 6
    # 3/7 = 42.857… → 42.9 ; 1/7 = 14.285… → 14.3 (the shown percentages add up to 100.1).
    assert percents(t)["La personne elle-même"] == Decimal("42.9")
    assert percents(t)["Ressources humaines"] == Decimal("14.3")


def test_it_counts_interventions_by_kind_with_time_and_the_paris_day_boundaries(pop):
    t = tables(pop, ["interventions-type"])["interventions-type"]
    # In 2025 (Paris time): I1 I2 I5 office (45+60+30 min), I3 I8 phone (15+10), I4 home
    # visit at 00:30 on 1 January (90), I7 video (40). I6 at 00:15 on 1 January 2026 is out
    # although it is still 2025 in UTC; I9 (2024) is out.
    counts = column(t, "count")
    minutes = column(t, "minutes")
    persons = column(t, "persons")
    assert (counts["Entretien au bureau"], minutes["Entretien au bureau"]) == (3, 135)
    assert (counts["Entretien téléphonique"], minutes["Entretien téléphonique"]) == (2, 25)
    assert (counts["Visite à domicile"], minutes["Visite à domicile"]) == (1, 90)
    assert (counts["Visioconférence"], minutes["Visioconférence"]) == (1, 40)
    assert counts["Permanence"] == 0
    # 135 + 25 + 90 + 40 = 290 minutes.
    assert (counts["Total"], minutes["Total"]) == (7, 290)
    # Office: P1 (C1 twice) and P6 (C7) = 2 persons; phone: P2 (C3), P1 (C2) = 2.
    assert persons["Entretien au bureau"] == 2
    assert persons["Entretien téléphonique"] == 2
    # Persons with an intervention: P1 P2 P3 P6 P10 = 5 (not 2+2+1+1 = 6: P1 had two kinds).
    assert persons["Total"] == 5
    # 3/7 → 42.9 ; 2/7 = 28.571… → 28.6 ; 1/7 → 14.3.
    assert percents(t)["Entretien au bureau"] == Decimal("42.9")
    assert percents(t)["Entretien téléphonique"] == Decimal("28.6")
    assert percents(t)["Visite à domicile"] == Decimal("14.3")


def test_it_counts_concerns_at_both_levels_each_person_once(pop):
    result = tables(pop, ["problematiques-niveau-1", "problematiques-niveau-2"])
    level1 = result["problematiques-niveau-1"]
    # File-active cases only (not C6, C9). Budget: P1 (C1 dettes+saisie, C2 dettes),
    # P2 (C3 budget itself), P9 (C10 saisie) = 3 persons, 4 cases. Logement: P2 (C3),
    # P9 (C10) = 2 persons. Santé: P3 (C4) = 1. Persons with a concern: P1 P2 P3 P9 = 4.
    assert column(level1) == {"Budget": 3, "Logement": 2, "Santé": 1, "Total": 4}
    assert column(level1, "cases") == {"Budget": 4, "Logement": 2, "Santé": 1, "Total": 5}
    # Shares of the 4 persons: 3/4 = 75 %, 2/4 = 50 %, 1/4 = 25 % (a person may have several).
    assert percents(level1) == {
        "Budget": Decimal("75.0"),
        "Logement": Decimal("50.0"),
        "Santé": Decimal("25.0"),
    }
    assert level1.additive is False
    level2 = result["problematiques-niveau-2"]
    # Dettes: P1 (C1, C2); Saisie: P1 (C1), P9 (C10); Budget itself: P2; Expulsion: P2, P9;
    # Santé itself: P3. In the order of the taxonomy, "sans précision" first in its group.
    assert [(row.label, row.values["persons"], row.values["cases"]) for row in level2.rows] == [
        ("Budget (sans précision)", 1, 1),
        ("Budget — Dettes", 1, 2),
        ("Budget — Saisie", 2, 2),
        ("Logement — Expulsion", 2, 2),
        ("Santé (sans précision)", 1, 1),
    ]
    assert level2.total.values == {"persons": 4, "cases": 5}


def test_it_counts_financial_aid_asked_and_granted(pop):
    t = tables(pop, ["aides-financieres"])["aides-financieres"]
    rows = {row.key: row.values for row in t.rows}
    # Emergency grants: A1 (300, granted 250), A3 (200, under review), A4 (150, granted 150).
    assert rows["emergency_grant"] == {
        "requested": 3,
        "requested_amount": Decimal("650"),
        "granted": 2,
        "granted_amount": Decimal("400"),
        "persons": 3,
    }
    # Loans: A2 (1,000, refused); A5 is from 2024.
    assert rows["loan"]["requested"] == 1
    assert rows["loan"]["requested_amount"] == Decimal("1000")
    assert rows["loan"]["granted"] == 0
    assert rows["loan"]["granted_amount"] == 0
    # Total: 4 asked for 1,650; 2 granted for 400; persons P1, P2, P9 = 3.
    assert t.total.values == {
        "requested": 4,
        "requested_amount": Decimal("1650"),
        "granted": 2,
        "granted_amount": Decimal("400"),
        "persons": 3,
    }
    assert percents(t)["Secours (aide non remboursable)"] == Decimal("75.0")


def test_it_counts_referrals_by_partner_kind_partner_and_answer(pop):
    result = tables(pop, ["orientations-type-partenaire", "orientations-partenaire"])
    by_kind = {r.key: r.values for r in result["orientations-type-partenaire"].rows}
    # Sent in 2025: F1 F2 F4 to the CAF (social security), F3 to the Secours populaire
    # (charity), F5 to the ADIL (housing); F6 was never sent, F7 was sent in 2024.
    # CAF: F1 granted, F2 refused, F4 granted then closed; persons P1 P2 P9.
    assert by_kind["social_security"] == {
        "sent": 3,
        "granted": 2,
        "refused": 1,
        "awaiting": 0,
        "closed": 0,
        "persons": 3,
    }
    assert by_kind["charity"] == {
        "sent": 1,
        "granted": 0,
        "refused": 0,
        "awaiting": 1,
        "closed": 0,
        "persons": 1,
    }
    assert by_kind["housing"]["closed"] == 1
    # Total: 5 sent for P1 P2 (twice) P9 P7 = 4 persons.
    total = result["orientations-type-partenaire"].total.values
    assert total == {
        "sent": 5,
        "granted": 2,
        "refused": 1,
        "awaiting": 1,
        "closed": 1,
        "persons": 4,
    }
    # 3/5 = 60 %, 1/5 = 20 %.
    assert percents(result["orientations-type-partenaire"])[
        "Organisme de protection sociale"
    ] == Decimal("60.0")
    by_partner = result["orientations-partenaire"]
    assert [(r.label, r.values["sent"], r.values["persons"]) for r in by_partner.rows] == [
        ("ADIL", 1, 1),
        ("CAF", 3, 3),
        ("Secours populaire", 1, 1),
    ]
    assert by_partner.total.values == total


def test_it_counts_each_person_once_by_sex_family_work_contract(pop):
    result = tables(pop)
    # File-active persons: P1 P2 P3 P4 P6 P7 P9 P10 = 8 (P1 has two cases, counted once;
    # P5 and P8 have no case in the file active).
    assert column(result["personnes-sexe"]) == {
        "Femme": 4,  # P1 P2 P6 P10
        "Homme": 3,  # P3 P4 P9
        "Autre / non précisé": 0,
        "Non renseigné": 1,  # P7
        "Total": 8,
    }
    # 4/8 = 50 %, 3/8 = 37.5 %, 1/8 = 12.5 %.
    assert percents(result["personnes-sexe"]) == {
        "Femme": Decimal("50.0"),
        "Homme": Decimal("37.5"),
        "Autre / non précisé": Decimal("0.0"),
        "Non renseigné": Decimal("12.5"),
    }
    family = column(result["personnes-situation-familiale"])
    # single P1 P6; married P2 P9; cohabiting P10; divorced P4; single parent P3; - P7.
    assert family == {
        "Célibataire": 2,
        "Marié·e": 2,
        "Pacsé·e": 0,
        "En concubinage": 1,
        "Séparé·e": 0,
        "Divorcé·e": 1,
        "Veuf·ve": 0,
        "Parent isolé": 1,
        "Non renseigné": 1,
        "Total": 8,
    }
    work = column(result["personnes-situation-professionnelle"])
    # at work P1 P3 P10; sick leave P2; work accident P4; retired P9; - P6 P7.
    assert work["En poste"] == 3
    assert work["Arrêt maladie"] == 1
    assert work["Arrêt pour accident du travail / maladie professionnelle"] == 1
    assert work["Retraité·e"] == 1
    assert work["Non renseigné"] == 2
    assert work["Total"] == 8
    assert sum(v for k, v in work.items() if k != "Total") == 8
    contract = column(result["personnes-contrat"])
    # CDI P1 P2 P4 P10; CDD P3; apprenticeship P6; - P7 P9.
    assert contract["CDI"] == 4
    assert contract["CDD"] == 1
    assert contract["Apprentissage / alternance"] == 1
    assert contract["Non renseigné"] == 2
    assert contract["Total"] == 8


def test_it_counts_persons_by_employer_and_employer_kind(pop):
    result = tables(pop)
    # Transports (E1): P1 P2 P3 P6 P10; Mairie (E2): P4; none: P7 P9. Alphabetical, "none" last.
    assert [(r.label, r.values["persons"]) for r in result["personnes-employeur"].rows] == [
        ("Mairie", 1),
        ("Transports", 5),
        ("Sans employeur renseigné", 2),
    ]
    assert result["personnes-employeur"].total.values["persons"] == 8
    # 5/8 = 62.5 %, 1/8 = 12.5 %, 2/8 = 25 %.
    assert [r.percent for r in result["personnes-employeur"].rows] == [
        Decimal("12.5"),
        Decimal("62.5"),
        Decimal("25.0"),
    ]
    kinds = column(result["personnes-type-employeur"])
    assert kinds["Entreprise privée"] == 5
    assert kinds["Fonction publique territoriale"] == 1
    assert kinds["Sans employeur renseigné"] == 2
    assert kinds["Total"] == 8


def test_it_puts_persons_in_age_bands_with_mean_min_and_max(pop):
    t = tables(pop, ["personnes-age"])["personnes-age"]
    # Ages on 31/12/2025: P1 30 (born 31/12/1995: birthday that day), P2 29 (born
    # 01/01/1996: one day short), P3 40, P4 41 (born 29/02/1984), P6 18, P9 65, P10 35;
    # P7 unknown. Bands 20-30, 31-40, 41-50, 51+ (and under 20):
    assert column(t) == {
        "Moins de 20 ans": 1,  # P6
        "20 à 30 ans": 2,  # P1 P2
        "31 à 40 ans": 2,  # P3 P10
        "41 à 50 ans": 1,  # P4
        "51 ans et plus": 1,  # P9
        "Non renseigné": 1,  # P7
        "Total": 8,
    }
    # 2/8 = 25 %, 1/8 = 12.5 %.
    assert percents(t)["20 à 30 ans"] == Decimal("25.0")
    assert percents(t)["Moins de 20 ans"] == Decimal("12.5")
    # Mean of the 7 known ages: (30+29+40+41+18+65+35) / 7 = 258 / 7 = 36.857… → 36.9.
    assert t.extra == {"known": 7, "mean": Decimal("36.9"), "min": 18, "max": 65}


def test_it_uses_the_organisations_age_bands(pop):
    config = Config(age_band_starts=(0, 30, 60))
    t = tables(pop, ["personnes-age"], config=config)["personnes-age"]
    # 0-29: P2 29, P6 18; 30-59: P1 30, P3 40, P4 41, P10 35; 60+: P9 65; unknown P7.
    assert column(t) == {
        "0 à 29 ans": 2,
        "30 à 59 ans": 4,
        "60 ans et plus": 1,
        "Non renseigné": 1,
        "Total": 8,
    }


def test_it_computes_ages_across_29_february_like_the_civil_register(organisation, alice):
    person = factories.PersonFactory(
        organisation=organisation, birth_date=datetime.date(2004, 2, 29)
    )
    factories.CaseFactory(person=person, opened_on=datetime.date(2020, 1, 1))
    for day, age in (
        (datetime.date(2024, 2, 28), 19),
        (datetime.date(2024, 2, 29), 20),
        (datetime.date(2025, 2, 28), 20),
        (datetime.date(2025, 3, 1), 21),
    ):
        scope = Scope(organisation.pk, Period(datetime.date(2024, 1, 1), day))
        t = statistics_tables(scope=scope, config=Config(), keys=["personnes-age"])
        extra = t["personnes-age"].extra
        assert (extra["min"], extra["mean"]) == (age, Decimal(age)), day
        assert person.age(day) == age


def test_it_narrows_to_a_team(pop):
    result = tables(pop, ["activite", "interventions-type", "personnes-sexe"], team_id=pop.t1.pk)
    active = result["activite"].rows[0]
    # Team Nord: C1 C2 C3 C7 C11 (all in the file active) for P1 P2 P6 P10.
    assert (active.values["count"], active.values["persons"]) == (5, 4)
    # Their interventions: I1 I2 (C1) I3 (C3) I5 (C7) I7 (C11) I8 (C2) = 6.
    assert result["interventions-type"].total.values["count"] == 6
    assert result["personnes-sexe"].total.values["persons"] == 4


def test_it_narrows_to_an_employer(pop):
    result = tables(pop, ["activite", "personnes-sexe", "demandes-origine"], employer_id=pop.e2.pk)
    # Mairie: P4 (C5) in the file active; P5 and P8 have no case in it.
    assert result["personnes-sexe"].total.values["persons"] == 1
    # Requests of Mairie's staff in 2025: R6 (P8), R7 (P5) = 2.
    assert result["demandes-origine"].total.values["count"] == 2


def test_a_workers_own_figures_are_the_cases_they_are_referent_of(pop):
    result = tables(pop, ["activite", "interventions-type"], referent_id=pop.alice.pk)
    active = result["activite"].rows[0]
    # Alice: C1 C3 C7 C11 (C2 is Bob's) for P1 P2 P6 P10.
    assert (active.values["count"], active.values["persons"]) == (4, 4)
    # Interventions in her cases: I1 I2 I3 I5 I7 = 5 (I8 is in Bob's C2).
    assert result["interventions-type"].total.values["count"] == 5


def test_requests_follow_their_case_or_the_worker_they_are_given_to(pop):
    def count(**filters):
        result = tables(pop, ["demandes-origine"], **filters)["demandes-origine"]
        return result.total.values["count"]

    # Nord (Alice): R2, which led to C3. Bob's team: R5, waiting and given to Bob.
    assert count(team_id=pop.t1.pk) == 1
    assert count(team_id=pop.t2.pk) == 1
    assert count(referent_id=pop.alice.pk) == 1
    assert count(referent_id=pop.bob.pk) == 1


def test_it_lists_each_workers_active_caseload_by_name_not_by_size(pop):
    t = tables(pop, ["charge-active"])["charge-active"]
    # Open or active today: alice C1 C3 C7 (C11 closed) = 3; bob C5 C9 C10 = 3.
    names = {row.label: row.values["count"] for row in t.rows}
    assert names == {
        pop.alice.get_full_name(): 3,
        pop.bob.get_full_name(): 3,
    }
    assert t.suppressible is False
    assert t.percent_of is None


def test_an_empty_period_gives_zeros_not_errors(pop):
    empty = Period(datetime.date(2000, 1, 1), datetime.date(2000, 12, 31))
    result = tables(pop, period=empty)
    assert result["personnes-sexe"].total.values["persons"] == 0
    assert result["personnes-age"].extra == {}
    assert result["aides-financieres"].total.values["requested_amount"] == 0
    assert result["personnes-sexe"].rows[0].percent is None


def test_it_counts_collective_actions_held_by_kind_with_attendees_and_time(pop):
    from relais.groups.enums import GroupActionKind as Kind
    from relais.groups.enums import GroupActionStatus as Status
    from tests.groups.factories import GroupActionFactory

    def action(kind, starts_at, minutes, headcount, *, status=Status.HELD, **links):
        return GroupActionFactory(
            organisation=pop.organisation,
            kind=kind,
            starts_at=paris(starts_at),
            duration_minutes=minutes,
            headcount=headcount,
            status=status,
            **links,
        )

    # A1: budget meeting at e1 (team Nord), run by Alice, 12 attendees, 1 h 30.
    action(
        Kind.INFORMATION_MEETING,
        "2025-03-10T12:00",
        90,
        12,
        employer=pop.e1,
        team=pop.t1,
        facilitator=pop.alice,
    )
    # A2: housing meeting at e2, run by Bob, 8 attendees, 1 h.
    action(
        Kind.INFORMATION_MEETING, "2025-06-02T12:00", 60, 8, employer=pop.e2, facilitator=pop.bob
    )
    # A3: workshop at e1, run by Alice, 6 attendees, 2 h; on 31/12 at 23:30 in Paris: 2025.
    action(Kind.WORKSHOP, "2025-12-31T23:30", 120, 6, employer=pop.e1, facilitator=pop.alice)
    # Not counted: planned, cancelled, held on 01/01/2026 at 00:15 in Paris.
    action(Kind.WORKSHOP, "2025-09-01T12:00", 60, None, status=Status.PLANNED)
    action(Kind.OUTING, "2025-09-02T12:00", 60, 10, status=Status.CANCELLED)
    action(Kind.OUTING, "2026-01-01T00:15", 60, 10)

    t = tables(pop, ["actions-collectives"])["actions-collectives"]
    # Held in 2025: A1 A2 A3 = 3 actions; 12 + 8 + 6 = 26 attendees; 90 + 60 + 120 = 270 min.
    assert column(t, "count") == {
        "Réunion d'information": 2,
        "Atelier": 1,
        "Groupe de parole": 0,
        "Action de prévention": 0,
        "Sortie / activité": 0,
        "Autre": 0,
        "Total": 3,
    }
    assert column(t, "attendees")["Total"] == 26
    assert column(t, "minutes") == {
        "Réunion d'information": 150,
        "Atelier": 120,
        "Groupe de parole": 0,
        "Action de prévention": 0,
        "Sortie / activité": 0,
        "Autre": 0,
        "Total": 270,
    }
    # 2 of 3 = 66.7 %, 1 of 3 = 33.3 %.
    assert percents(t)["Réunion d'information"] == Decimal("66.7")
    assert percents(t)["Atelier"] == Decimal("33.3")

    def total(**filters):
        result = tables(pop, ["actions-collectives"], **filters)["actions-collectives"]
        return result.total.values["count"], result.total.values["attendees"]

    # e1: A1 A3 (18 attendees); team Nord: A1; Alice's own: A1 A3; Bob's own: A2.
    assert total(employer_id=pop.e1.pk) == (2, 18)
    assert total(team_id=pop.t1.pk) == (1, 12)
    assert total(referent_id=pop.alice.pk) == (2, 18)
    assert total(referent_id=pop.bob.pk) == (1, 8)


def test_collective_actions_with_few_attendees_are_masked_in_what_leaves_the_service(pop):
    from relais.groups.enums import GroupActionKind as Kind
    from relais.groups.enums import GroupActionStatus as Status
    from relais.stats.suppression import suppress
    from tests.groups.factories import GroupActionFactory

    for kind, headcount in ((Kind.INFORMATION_MEETING, 20), (Kind.WORKSHOP, 3)):
        GroupActionFactory(
            organisation=pop.organisation,
            kind=kind,
            starts_at=paris("2025-05-05T12:00"),
            headcount=headcount,
            status=Status.HELD,
        )
    t = suppress(tables(pop, ["actions-collectives"])["actions-collectives"], 5)
    masked = {row.label for row in t.rows if row.suppressed}
    # The workshop (3 attendees) is a small cell; a second row is masked with it so the
    # total (23) does not give it back.
    assert "Atelier" in masked
    assert len(masked) >= 2
