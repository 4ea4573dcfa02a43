"""Hand-worked examples of the budget arithmetic (pure functions, no database).

Every expected figure is worked out in the comments, from the decree's annual figures:
monthly band limit = (annual limit + dependants × raise) ÷ 12, rounded to the cent; each
band's share rounded to the cent (half up); the total is the sum of the rounded shares.
"""

import datetime
from decimal import Decimal as D

import pytest

from relais.budget import reference
from relais.budget.calculations.household import (
    CHILD,
    OTHER,
    PARTNER,
    REFERENCE,
    Member,
    consumption_units,
    parts,
    persons,
    rsa_household,
)
from relais.budget.calculations.indicators import indicators
from relais.budget.calculations.plan import plan_for_amount, prorata_plan
from relais.budget.calculations.repayment import repayment_capacity
from relais.budget.calculations.seizure import apply_scale, monthly_limits, seizable_share

JUNE_2025 = datetime.date(2025, 6, 1)
JUNE_2026 = datetime.date(2026, 6, 1)
SCALE_2025 = reference.seizure_scale_on(JUNE_2025)
SCALE_2026 = reference.seizure_scale_on(JUNE_2026)
RSA_2025 = reference.rsa_on(JUNE_2025)
RSA_2026 = reference.rsa_on(JUNE_2026)
RSA_RULE = reference.rsa_household_rule_on(JUNE_2026)
UC_SCALE = reference.consumption_scale_on(JUNE_2026)


def me(age=40):
    return Member("Personne", age, REFERENCE)


# --- Reference data -----------------------------------------------------------------


def test_it_picks_the_figures_in_force_on_the_date():
    assert SCALE_2025.decree.startswith("Décret n° 2024-1231")
    assert SCALE_2026.decree.startswith("Décret n° 2025-1299")
    assert SCALE_2026.annual_limits == (D(4480), D(8730), D(13000), D(17230), D(21470), D(25810))
    assert SCALE_2026.dependant_raise == D(1740)
    assert SCALE_2025.dependant_raise == D(1720)
    # The RSA changes on 1 April, the scale on 1 January.
    assert reference.rsa_on(datetime.date(2025, 3, 1)).amount == D("635.71")
    assert reference.rsa_on(datetime.date(2025, 4, 1)).amount == D("646.52")
    assert reference.rsa_on(datetime.date(2026, 3, 31)).amount == D("646.52")
    assert reference.rsa_on(datetime.date(2026, 4, 1)).amount == D("651.69")
    assert reference.rsa_on(datetime.date(2026, 4, 1)).confirmed is False


def test_it_refuses_a_date_before_any_figure():
    with pytest.raises(reference.NoReferenceFigure):
        reference.seizure_scale_on(datetime.date(2020, 1, 1))


# --- Consumption units, parts, persons ------------------------------------------------


def test_consumption_units_of_a_single_adult():
    assert consumption_units([me()], UC_SCALE).total == D("1")


def test_consumption_units_of_a_couple_with_a_teenager_and_a_child():
    # 1 (first adult) + 0.5 (partner) + 0.5 (16 years: 14 or more) + 0.3 (10 years) = 2.3
    members = [
        me(),
        Member("Conjoint", 42, PARTNER),
        Member("Léa", 16, CHILD, True),
        Member("Tom", 10, CHILD, True),
    ]
    assert consumption_units(members, UC_SCALE).total == D("2.3")


def test_consumption_units_of_a_single_parent_with_two_young_children():
    # 1 + 0.3 (3 years) + 0.3 (8 years) = 1.6
    members = [me(), Member("A", 3, CHILD, True), Member("B", 8, CHILD, True)]
    assert consumption_units(members, UC_SCALE).total == D("1.6")


def test_a_child_of_exactly_14_counts_as_half_and_a_grandmother_too():
    # 1 + 0.5 (partner) + 0.5 (grandmother, 70) + 0.5 (exactly 14) = 2.5
    members = [
        me(),
        Member("Conjoint", 40, PARTNER),
        Member("Grand-mère", 70, OTHER),
        Member("Jules", 14, CHILD, True),
    ]
    assert consumption_units(members, UC_SCALE).total == D("2.5")


def test_an_unknown_age_is_an_assumption_shown_as_such():
    # A child without birth date counts as under 14 (0.3), an adult relation as 14+ (0.5).
    result = consumption_units(
        [me(), Member("Enfant", None, CHILD), Member("Hébergé", None, OTHER)], UC_SCALE
    )
    assert result.total == D("1.8")
    assert result.has_estimates


def test_parts_follow_the_family_quotient():
    couple_three = [
        me(),
        Member("Conjoint", 40, PARTNER),
        *[Member(f"E{i}", 5 + i, CHILD, True) for i in range(3)],
    ]
    # 1 + 1 + 0.5 + 0.5 + 1 (third dependant) = 4
    assert parts(couple_three).total == D("4")
    # Parent alone with one child: 1 + 0.5 + 0.5 (raising the child alone) = 2
    assert parts([me(), Member("E", 6, CHILD, True)]).total == D("2")
    # A hosted adult who is not a dependant does not count.
    assert parts([me(), Member("Hébergé", 30, OTHER)]).total == D("1")
    assert persons([me(), Member("Hébergé", 30, OTHER)]).total == D("2")


# --- RSA lump sum of the household ---------------------------------------------------


@pytest.mark.parametrize(
    "members, expected",
    [
        # 646.52
        ([me()], D("646.52")),
        # 646.52 + 50 % (323.26) = 969.78
        ([me(), Member("Conjoint", 40, PARTNER)], D("969.78")),
        # parent alone, one child: same as a couple
        ([me(), Member("E", 5, CHILD, True)], D("969.78")),
        # couple + 2 children: 969.78 + 2 × 30 % (193.956 → 193.96) = 1357.70
        (
            [
                me(),
                Member("C", 40, PARTNER),
                Member("E1", 5, CHILD, True),
                Member("E2", 8, CHILD, True),
            ],
            D("1357.70"),
        ),
        # couple + 3 children: 1357.70 + 40 % for the third (258.608 → 258.61) = 1616.31
        (
            [
                me(),
                Member("C", 40, PARTNER),
                Member("E1", 5, CHILD, True),
                Member("E2", 8, CHILD, True),
                Member("E3", 11, CHILD, True),
            ],
            D("1616.31"),
        ),
        # parent alone + 3 children: 646.52 + 323.26 + 193.96 + 258.61 = 1422.35
        (
            [
                me(),
                Member("E1", 5, CHILD, True),
                Member("E2", 8, CHILD, True),
                Member("E3", 11, CHILD, True),
            ],
            D("1422.35"),
        ),
        # a hosted adult who is not a dependant does not change it
        ([me(), Member("Hébergé", 30, OTHER)], D("646.52")),
    ],
)
def test_rsa_lump_sum_of_the_household_2025(members, expected):
    assert rsa_household(members, RSA_2025, RSA_RULE).amount == expected


# --- Seizable share ---------------------------------------------------------------------


def test_monthly_bands_2026_without_dependants():
    # 4480/12 = 373.333 → 373.33 ; 8730/12 = 727.50 ; 13000/12 = 1083.333 → 1083.33 ;
    # 17230/12 = 1435.833 → 1435.83 ; 21470/12 = 1789.167 → 1789.17 ; 25810/12 = 2150.833 → 2150.83
    assert monthly_limits(SCALE_2026, 0) == [
        D("373.33"),
        D("727.50"),
        D("1083.33"),
        D("1435.83"),
        D("1789.17"),
        D("2150.83"),
    ]


def test_seizable_share_1500_euros_2026_no_dependant():
    # 373.33/20 = 18.67 ; 354.17/10 = 35.42 ; 355.83/5 = 71.17 ; 352.50/4 = 88.125 → 88.13 ;
    # (1500 − 1435.83) = 64.17/3 = 21.39 ; total 234.78 ; 1500 − 234.78 = 1265.22 ≥ RSA.
    result = seizable_share(D("1500.00"), 0, SCALE_2026, RSA_2026.amount)
    assert [band.seized for band in result.scale.bands] == [
        D("18.67"),
        D("35.42"),
        D("71.17"),
        D("88.13"),
        D("21.39"),
        D("0.00"),
        D("0.00"),
    ]
    assert result.seizable == D("234.78")
    assert not result.floor_applied


def test_seizable_share_2500_euros_2026_takes_everything_above_the_last_band():
    # Full bands: 18.67 + 35.42 + 71.17 + 88.13 + 353.34/3 = 117.78 + 361.66 × 2/3 = 241.11
    # = 572.28 ; above 2150.83: 349.17 in full ; total 921.45.
    result = seizable_share(D("2500.00"), 0, SCALE_2026, RSA_2026.amount)
    assert result.seizable == D("921.45")
    assert result.scale.bands[-1].portion == D("349.17")


def test_seizable_share_1500_euros_2026_two_dependants():
    # Bands raised by 2 × 1740 = 3480: 7960/12 = 663.33 ; 12210/12 = 1017.50 ;
    # 16480/12 = 1373.33. 663.33/20 = 33.17 ; 354.17/10 = 35.42 ; 355.83/5 = 71.17 ;
    # (1500 − 1373.33) = 126.67/4 = 31.6675 → 31.67 ; total 171.43.
    result = seizable_share(D("1500.00"), 2, SCALE_2026, RSA_2026.amount)
    assert result.scale.monthly_raise == D("145.00")
    assert result.seizable == D("171.43")


def test_seizable_share_1500_euros_2025_no_dependant():
    # 2025 bands: 370.00 ; 721.67 ; 1074.17 ; 1424.17. 370/20 = 18.50 ; 351.67/10 = 35.17 ;
    # 352.50/5 = 70.50 ; 350/4 = 87.50 ; 75.83/3 = 25.28 ; total 236.95.
    result = seizable_share(D("1500.00"), 0, SCALE_2025, RSA_2025.amount)
    assert result.seizable == D("236.95")


def test_seizable_share_2000_euros_2025_one_dependant():
    # Bands + 1720: 6160/12 = 513.33 ; 865.00 ; 1217.50 ; 1567.50 ; 23020/12 = 1918.33.
    # 25.67 + 35.17 + 70.50 + 87.50 + 350.83/3 = 116.94 + 81.67 × 2/3 = 54.45 → 390.23.
    result = seizable_share(D("2000.00"), 1, SCALE_2025, RSA_2025.amount)
    assert result.seizable == D("390.23")


def test_the_person_always_keeps_the_single_person_rsa():
    # 2026, 680 €: scale gives 18.67 + 306.67/10 = 30.67 → 49.34, but 680 − 651.69 = 28.31.
    result = seizable_share(D("680.00"), 0, SCALE_2026, RSA_2026.amount)
    assert result.scale.total == D("49.34")
    assert result.seizable == D("28.31")
    assert result.floor_applied
    assert result.left == D("651.69")
    # 2025 (RSA 646.52): 18.50 + 310/10 = 31.00 → 49.50, capped at 680 − 646.52 = 33.48.
    assert seizable_share(D("680.00"), 0, SCALE_2025, RSA_2025.amount).seizable == D("33.48")
    # Below the RSA nothing may be seized.
    assert seizable_share(D("600.00"), 0, SCALE_2026, RSA_2026.amount).seizable == D("0")


def test_seizure_refuses_negative_input():
    with pytest.raises(ValueError):
        apply_scale(D("-1"), 0, SCALE_2026)
    with pytest.raises(ValueError):
        apply_scale(D("100"), -1, SCALE_2026)


# --- Repayment capacity ---------------------------------------------------------------


def _couple(children: int):
    return [
        me(),
        Member("Conjoint", 40, PARTNER),
        *[Member(f"E{i}", 4 + i, CHILD, True) for i in range(children)],
    ]


def test_repayment_capacity_follows_the_scale_when_the_rsa_is_safe():
    # 2026, couple + 2 children, 2400 € of resources, 2 dependants: bands 663.33 ; 1017.50 ;
    # 1373.33 ; 1725.83 ; 2079.17. 33.17 + 35.42 + 71.17 + 88.13 + 117.78
    # + (2400 − 2079.17) = 320.83 × 2/3 = 213.89 → scale 559.56.
    # RSA of the household: 651.69 + 325.85 + 195.51 + 195.51 = 1368.56 ; 2400 − 1368.56 = 1031.44.
    rsa = rsa_household(_couple(2), RSA_2026, RSA_RULE)
    assert rsa.amount == D("1368.56")
    result = repayment_capacity(
        resources=D("2400"), dependants=2, scale=SCALE_2026, rsa=rsa, current_expenses=D("1700")
    )
    assert result.scale.total == D("559.56")
    assert result.room_above_rsa == D("1031.44")
    assert result.legal_maximum == D("559.56")
    assert not result.rsa_applied
    # Declared expenses leave 700: the scale amount still fits.
    assert result.capacity == D("559.56")
    # With 1950 € of expenses only 450 € are left: the expenses come first (L731-2).
    tighter = repayment_capacity(
        resources=D("2400"), dependants=2, scale=SCALE_2026, rsa=rsa, current_expenses=D("1950")
    )
    assert tighter.capacity == D("450")
    assert tighter.expenses_applied


def test_repayment_capacity_never_leaves_the_household_below_its_rsa():
    # 2026, couple + 3 children, 1800 € of resources, 3 dependants: bands + 5220 →
    # 808.33 ; 1162.50 ; 1518.33. 40.42 + 35.42 + 71.17 + (1800 − 1518.33) = 281.67/4 = 70.42
    # → scale 217.43. RSA: 651.69 + 325.85 + 195.51 + 195.51 + 40 % (260.676 → 260.68)
    # = 1629.24 ; 1800 − 1629.24 = 170.76 < 217.43 → capacity 170.76, 1629.24 left.
    rsa = rsa_household(_couple(3), RSA_2026, RSA_RULE)
    assert rsa.amount == D("1629.24")
    result = repayment_capacity(resources=D("1800"), dependants=3, scale=SCALE_2026, rsa=rsa)
    assert result.scale.total == D("217.43")
    assert result.capacity == D("170.76")
    assert result.rsa_applied
    assert result.left_to_live == D("1629.24")


def test_repayment_capacity_is_zero_below_the_rsa():
    rsa = rsa_household(_couple(0), RSA_2026, RSA_RULE)  # 977.54
    result = repayment_capacity(resources=D("900"), dependants=0, scale=SCALE_2026, rsa=rsa)
    assert result.capacity == D("0")


# --- Indicators -----------------------------------------------------------------------


def test_indicators_of_a_month():
    # Resources 2400 (of which 200 housing benefit). Charges: rent 750, energy 120,
    # insurance 30, phone 40, credit 150 (fixed: 1090) and food 500 (daily): 1590.
    # Balance 2400 − 1590 = 810. Reste à vivre 2400 − 1090 = 1310 ; 2.3 UC →
    # 1310/2.3 = 569.565 → 569.57 per month, /30 = 18.986 → 18.99 per day.
    # Debt ratio 150/2400 = 6.25 % → 6.3 %. Housing effort (750 − 200)/(2400 − 200) = 25.0 %.
    members = [
        me(),
        Member("Conjoint", 42, PARTNER),
        Member("Léa", 16, CHILD, True),
        Member("Tom", 10, CHILD, True),
    ]
    result = indicators(
        resources=D("2400"),
        charges=D("1590"),
        fixed_charges=D("1090"),
        debt_repayments=D("150"),
        housing_costs=D("750"),
        housing_benefit=D("200"),
        divisor=consumption_units(members, UC_SCALE),
    )
    assert result.balance == D("810")
    assert result.left_to_live == D("1310")
    assert result.left_per_unit_month == D("569.57")
    assert result.left_per_unit_day == D("18.99")
    assert result.debt_ratio == D("6.3")
    assert result.housing_effort == D("25.0")


def test_indicators_without_resources_have_no_ratio():
    result = indicators(
        resources=D("0"),
        charges=D("500"),
        fixed_charges=D("500"),
        debt_repayments=D("0"),
        housing_costs=D("500"),
        housing_benefit=D("0"),
        divisor=persons([me()]),
    )
    assert result.debt_ratio is None
    assert result.housing_effort is None
    assert result.left_to_live == D("-500")


# --- Repayment plans ------------------------------------------------------------------


def test_plan_with_a_monthly_payment():
    # 1000 € at 150 €/month: 6 × 150 = 900, then 100 → 7 months.
    plan = plan_for_amount(amount=D("1000"), monthly_payment=D("150"))
    assert (plan.months, plan.monthly_payment, plan.last_payment) == (7, D("150"), D("100"))
    assert plan.total == D("1000")


def test_plan_over_a_number_of_months():
    # 1000 € over 12 months: 83.333 rounded up → 83.34 ; 11 × 83.34 = 916.74 ; last 83.26.
    plan = plan_for_amount(amount=D("1000"), months=12)
    assert (plan.months, plan.monthly_payment, plan.last_payment) == (12, D("83.34"), D("83.26"))


def test_plan_refuses_nonsense():
    with pytest.raises(ValueError):
        plan_for_amount(amount=D("0"), monthly_payment=D("10"))
    with pytest.raises(ValueError):
        plan_for_amount(amount=D("100"))


def test_prorata_plan_shares_the_capacity_between_creditors():
    # 300 €/month for 6000 + 3000 + 1000 = 10000 owed: 180, 90 and 30 €/month,
    # each repaid in 34 months (6000/180 = 33.3 → 34).
    debts = [("a", "Banque", D("6000")), ("b", "Bailleur", D("3000")), ("c", "EDF", D("1000"))]
    plan = prorata_plan(debts, D("300"))
    assert [s.monthly_share for s in plan.shares] == [D("180.00"), D("90.00"), D("30.00")]
    assert plan.months == 34
    assert plan.within_legal_duration
    # 100 €/month: 100 months, beyond the 84 months (7 years) a plan may last.
    assert not prorata_plan(debts, D("100")).within_legal_duration
