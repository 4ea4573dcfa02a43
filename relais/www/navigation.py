"""The main navigation: which entries a role sees, with their addresses.

Computed once per role (and script prefix) per process: the menu is on every page, and
reversing its eight addresses in the template cost about 0.3 ms a page. An entry whose
page does not exist (a feature not installed) is left out, as the template did.
"""

import functools

from django.urls import NoReverseMatch, get_script_prefix, reverse

from relais.accounts.enums import Role

WORK = {Role.SOCIAL_WORKER, Role.SECRETARY, Role.MANAGER}

# (label, route, roles that see it, the entry is the current page for every address below it)
ENTRIES = [
    ("Personnes", "people:search", WORK, True),
    ("Agenda", "cases:agenda", WORK, False),
    ("Orientations", "partners:referrals", {Role.SOCIAL_WORKER, Role.MANAGER}, False),
    ("Partenaires", "partners:directory", WORK | {Role.ADMIN}, False),
    ("Actions collectives", "groups:list", WORK, True),
    (
        "Statistiques",
        "stats:index",
        {Role.SOCIAL_WORKER, Role.MANAGER, Role.EMPLOYER_VIEWER},
        False,
    ),
    ("Administration", "administration:index", {Role.ADMIN}, False),
]


@functools.cache
def _entries_for(role: str | None, script_prefix: str) -> tuple[tuple[str, str, bool], ...]:
    entries = []
    for label, route, roles, marks_below in ENTRIES:
        if role not in roles:
            continue
        try:
            entries.append((label, reverse(route), marks_below))
        except NoReverseMatch:
            continue
    return tuple(entries)


def navigation(*, role: str | None, path: str) -> list[dict]:
    """The entries for this role: label, url, and whether ``path`` is that page."""
    return [
        {"label": label, "url": url, "current": marks_below and path.startswith(url)}
        for label, url, marks_below in _entries_for(role, get_script_prefix())
    ]
