import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from relais.accounts.models import Organisation
from relais.people.models import Person
from relais.people.search import normalise_name
from relais.scale.bench_targets import search_text
from relais.scale.generator import organisation_public_id
from relais.scale.search import ranked_ids


def prefix_baseline(queryset, words, limit):
    """What a plain index allows: every word starts a word of the name (no typo)."""
    for word in words:
        queryset = queryset.filter(
            Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
        )
    return list(
        queryset.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)[:limit]
    )


class Command(BaseCommand):
    help = (
        "Mesure la recherche de personnes sur un jeu généré : temps, requêtes et taux de "
        "personnes retrouvées malgré les fautes, contre une recherche par préfixe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, *args, **options):
        rng = random.Random(options["seed"] * 31)
        organisation = Organisation.objects.get(public_id=organisation_public_id(options["seed"]))
        persons = Person.objects.filter(organisation=organisation)
        ids = list(persons.values_list("pk", flat=True))
        sample = list(Person.objects.filter(pk__in=rng.sample(ids, options["queries"])))
        limit = options["limit"]
        self.stdout.write(
            f"{len(ids)} personnes, {len(sample)} recherches avec fautes ou sans accents "
            f"({connection.vendor}), {limit} résultats au plus"
        )
        self.stdout.write(
            "| recherche | p50 ms | p95 ms | requêtes | bon nom en tête | personne parmi "
            f"les {limit} |"
        )
        self.stdout.write("|---|---:|---:|---:|---:|---:|")
        texts = [search_text(person, rng) for person in sample]
        misses = []
        for label, search in (
            ("préfixe (sans tolérance)", prefix_baseline),
            ("mots, préfixes et fautes (relais.scale.search)", ranked_ids),
        ):
            times, queries, right_name, found_person = [], [], 0, 0
            for person, text in zip(sample, texts, strict=True):
                words = tuple(normalise_name(text).split())
                with CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    found = (
                        search(persons, words, limit=limit)
                        if search is ranked_ids
                        else search(persons, words, limit)
                    )
                    times.append((time.perf_counter() - began) * 1000)
                queries.append(len(captured))
                # Homonyms cannot be told apart by their name: the search did its job if
                # the first result bears the name that was meant (and the first name, if
                # typed); the person herself is then among the results unless the name
                # is very common.
                wanted = {normalise_name(person.last_name)}
                if normalise_name(person.first_name) in " ".join(words):
                    wanted.add(normalise_name(person.first_name))
                if found:
                    first = Person.objects.get(pk=found[0])
                    got = {normalise_name(first.last_name), normalise_name(first.first_name)}
                    right_name += wanted <= got
                    if search is ranked_ids and not wanted <= got:
                        misses.append(f"{text!r} → {first.search_name!r} (voulu {wanted})")
                found_person += person.pk in found
            times.sort()
            self.stdout.write(
                f"| {label} | {statistics.median(times):.1f} | "
                f"{times[int(0.95 * (len(times) - 1))]:.1f} | {max(queries)} | "
                f"{100 * right_name / len(sample):.0f} % | "
                f"{100 * found_person / len(sample):.0f} % |"
            )
        if options["verbosity"] > 1:
            self.stdout.write("\n".join(misses))
