"""The main navigation: which entries a role sees, with their addresses.

Computed once per role (and script prefix) per process: the menu is on every page, and
reversing its eight addresses in the template cost about 0.3 ms a page. An entry whose
page does not exist (a feature not installed) is left out, as the template did.
"""

import functools

from django.urls import NoReverseMatch, get_script_prefix, reverse

from relais.accounts.enums import Role

WORK = {Role.SOCIAL_WORKER, Role.SECRETARY, Role.MANAGER}

# (label, route, roles that see it). An entry is the current page on its address and on
# every address below it (a partner's page is under "Partenaires"); no entry's address is
# the beginning of another's (tests/www/test_navigation.py).
ENTRIES = [
    ("Personnes", "people:search", WORK),
    ("Agenda", "cases:agenda", WORK),
    ("Orientations", "partners:referrals", {Role.SOCIAL_WORKER, Role.MANAGER}),
    ("Partenaires", "partners:directory", WORK | {Role.ADMIN}),
    ("Actions collectives", "groups:list", WORK),
    ("Statistiques", "stats:index", {Role.SOCIAL_WORKER, Role.MANAGER, Role.EMPLOYER_VIEWER}),
    ("Administration", "administration:index", {Role.ADMIN}),
]


@functools.cache
def _entries_for(role: str | None, script_prefix: str) -> tuple[tuple[str, str], ...]:
    entries = []
    for label, route, roles in ENTRIES:
        if role not in roles:
            continue
        try:
            entries.append((label, reverse(route)))
        except NoReverseMatch:
            continue
    return tuple(entries)


def navigation(*, role: str | None, path: str) -> list[dict]:
    """The entries for this role: label, url, and whether ``path`` is that page or below it."""
    return [
        {"label": label, "url": url, "current": path.startswith(url)}
        for label, url in _entries_for(role, get_script_prefix())
    ]
