"""Budget arithmetic as pure functions: no database, no Django, Decimal only.

Every function returns its result together with the steps that lead to it, so that the
screens can show the computation (what the worker and the person see is what is computed).

Rounding, stated once: amounts are rounded to the cent, half up (0,005 € → 0,01 €), at
each step that is shown; the total is the sum of the rounded steps, so what is displayed
always adds up.
"""
