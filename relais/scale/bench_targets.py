"""What the benchmark requests: for each client (a generated social worker), the paths of
each page, drawn from the dataset with a fixed seed; and the pages that do not exist yet.

Pages are looked up by URL name, so a page added later by another app is picked up as
soon as its name is listed in ``PAGES``.
"""

import random
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from relais.accounts.models import Membership, Organisation
from relais.cases.models import Case, CaseReferent
from relais.people.models import Person
from relais.scale.generator import organisation_public_id, worker_email

KEYBOARD_NEIGHBOURS = {
    "a": "zqs",
    "z": "aes",
    "e": "zrd",
    "r": "etf",
    "t": "ryg",
    "y": "tuh",
    "u": "yij",
    "i": "uok",
    "o": "ipl",
    "p": "om",
    "q": "asw",
    "s": "qdz",
    "d": "sfe",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "j": "hku",
    "k": "jli",
    "l": "kmo",
    "m": "lp",
    "w": "qx",
    "x": "wc",
    "c": "xv",
    "v": "cb",
    "b": "vn",
    "n": "bm",
}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def misspell(name: str, rng: random.Random) -> str:
    """What a hurried user types: no accents, and often one slip of the finger."""
    word = strip_accents(name).lower()
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 5 or rng.random() < 0.3:
        return word
    i = rng.choice(letters[1:-1])
    slip = rng.choice(("drop", "swap", "neighbour", "double"))
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    if slip == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if slip == "neighbour" and word[i] in KEYBOARD_NEIGHBOURS:
        return word[:i] + rng.choice(KEYBOARD_NEIGHBOURS[word[i]]) + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def search_text(person: Person, rng: random.Random) -> str:
    last = misspell(person.last_name, rng)
    if rng.random() < 0.5 or not person.first_name:
        return last
    first = strip_accents(person.first_name).lower()
    return f"{first} {last}" if rng.random() < 0.5 else f"{last} {first}"


@dataclass
class Page:
    name: str
    url_name: str
    paths: Callable  # (context, membership, rng) -> list[str]
    slow: bool = False


def _home(ctx, membership, rng):
    return [reverse("home")]


def _caseload(ctx, membership, rng):
    base = reverse("cases:caseload")
    return [base, f"{base}?page=2"]


def _case(ctx, membership, rng):
    ids = list(
        CaseReferent.objects.filter(
            organisation_id=ctx.organisation.pk, user_id=membership.user_id
        ).values_list("case__public_id", "case__closed_on")
    )
    open_ids = [pk for pk, closed in ids if closed is None]
    closed_ids = [pk for pk, closed in ids if closed is not None]
    chosen = rng.sample(open_ids, min(28, len(open_ids))) + rng.sample(
        closed_ids, min(12, len(closed_ids))
    )
    rng.shuffle(chosen)
    return [reverse("cases:detail", args=[pk]) for pk in chosen]


def _search(ctx, membership, rng):
    base = reverse("people:search")
    return [
        f"{base}?{urllib.parse.urlencode({'q': search_text(p, rng)})}"
        for p in rng.sample(ctx.persons, 40)
    ]


def _statistics(ctx, membership, rng):
    return [f"{reverse('stats:index')}?annee={ctx.year}"]


def _activity_report_pdf(ctx, membership, rng):
    return [f"{reverse('stats:report_pdf')}?annee={ctx.year}"]


def _social_report_pdf(ctx, membership, rng):
    from relais.reports.models import Report

    ids = list(
        Report.objects.filter(
            organisation_id=ctx.organisation.pk,
            case__referent_links__user_id=membership.user_id,
        )
        .order_by("pk")
        .values_list("public_id", flat=True)[:40]
    )
    return [reverse("reports:pdf", args=[pk]) for pk in ids]


PAGES = [
    Page("accueil", "home", _home),
    Page("liste des dossiers", "cases:caseload", _caseload),
    Page("page dossier", "cases:detail", _case),
    Page("recherche de personne (fautes, sans accents)", "people:search", _search),
    Page("statistiques d'une année", "stats:index", _statistics, slow=True),
    Page("rapport d'activité PDF (une année)", "stats:report_pdf", _activity_report_pdf, slow=True),
    Page("rapport social PDF", "reports:pdf", _social_report_pdf, slow=True),
]


@dataclass
class Context:
    organisation: Organisation
    persons: list[Person]
    year: int


def bench_targets(*, seed: int, clients: int, year: int, extra_pages=()) -> dict:
    rng = random.Random(seed * 7919)
    organisation = Organisation.objects.get(public_id=organisation_public_id(seed))
    person_ids = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    sample = rng.sample(person_ids, min(2000, len(person_ids)))
    persons = list(Person.objects.filter(pk__in=sample).order_by("pk"))
    ctx = Context(organisation, persons, year)
    # A small dataset has fewer workers than clients: they then share logins.
    available = list(
        Membership.objects.filter(
            organisation=organisation,
            user__email__in=[worker_email(seed, n) for n in range(1, clients + 1)],
        )
        .select_related("user")
        .order_by("user__email")
    )
    memberships = [available[i % len(available)] for i in range(clients)]
    targets = {
        "organisation_id": organisation.pk,
        "logins": [m.user.email for m in memberships],
        # The floor is routed only under RELAIS_BENCH, which this command does not need.
        "floor": [f"/banc/plancher/?o={organisation.pk}&p={p.public_id}" for p in persons[:400]],
        "signed_in_floor": [f"/banc/plancher-connecte/?p={p.public_id}" for p in persons[:400]],
        "pages": {},
        "slow": [],
        "missing": {},
        "caseloads": {
            m.user.email: Case.objects.referent_is(m.user).exclude(status="closed").count()
            for m in memberships
        },
    }
    for page in [*PAGES, *extra_pages]:
        if reverse_or_none(page.url_name, probe=True) is None:
            targets["missing"][page.name] = f"pas de page « {page.url_name} » sur cette branche"
            continue
        targets["pages"][page.name] = [page.paths(ctx, m, rng) for m in memberships]
        if page.slow:
            targets["slow"].append(page.name)
    return targets


def reverse_or_none(name: str, probe: bool = False):
    """The URL of ``name``, or None if no such page; ``probe`` tolerates required args."""
    try:
        return reverse(name)
    except NoReverseMatch:
        if not probe:
            return None
    from django.urls import get_resolver

    namespace, _, url_name = name.rpartition(":")
    resolver = get_resolver()
    if namespace:
        if namespace not in resolver.namespace_dict:
            return None
        resolver = resolver.namespace_dict[namespace][1]
    return url_name if url_name in resolver.reverse_dict else None
