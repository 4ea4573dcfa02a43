"""Links to pages other apps own, resolved when those pages exist."""

from django.urls import NoReverseMatch, reverse

# The case page (relais/www, casework): where a break-glass read leads.
CASE_PAGE = "cases:detail"


def case_page_url(case) -> str | None:
    try:
        return reverse(CASE_PAGE, kwargs={"public_id": case.public_id})
    except NoReverseMatch:
        return None
