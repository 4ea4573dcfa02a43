"""Pools of names drawn once per generation, then sampled with skewed (Zipf-like) weights.

Faker is asked once per pool, not once per person: drawing 100,000 names through Faker
costs seconds, sampling a prepared pool costs milliseconds. The pools mix the surnames
found in France (French first, then Portuguese, Italian, Spanish, Belgian, Maghrebi,
German, Turkish origins) so that a search meets the homonyms and accents it meets in a
real service.
"""

import bisect
import importlib
import itertools
import random

# Common surnames of Maghrebi origin, as written in French civil records.
MAGHREBI_LAST_NAMES = (
    "Benali",
    "Haddad",
    "Belkacem",
    "Bouzid",
    "Mansouri",
    "Amrani",
    "Cherif",
    "Ziani",
    "Hamidi",
    "Saïdi",
    "Brahimi",
    "Meziane",
    "Benyahia",
    "Khelifi",
    "Bensaïd",
    "Boukhari",
    "Djebbar",
    "Ouali",
    "Rahmani",
    "Touati",
    "El Amrani",
    "Ait Ali",
    "Bouaziz",
    "Lahlou",
    "Messaoudi",
    "Chérifi",
    "Slimani",
    "Taleb",
    "Yahiaoui",
    "Zerrouki",
)
MAGHREBI_FIRST_NAMES_FEMALE = (
    "Fatima",
    "Yasmina",
    "Nadia",
    "Samira",
    "Leïla",
    "Amina",
    "Karima",
    "Malika",
    "Sonia",
    "Inès",
    "Myriam",
    "Naïma",
)
MAGHREBI_FIRST_NAMES_MALE = (
    "Mohamed",
    "Karim",
    "Rachid",
    "Mehdi",
    "Sofiane",
    "Nabil",
    "Youssef",
    "Samir",
    "Farid",
    "Hakim",
    "Bilal",
    "Ilyes",
)

# (Faker locale, share of the population). The rest comes from MAGHREBI_*.
LOCALE_SHARES = (
    ("fr_FR", 0.58),
    ("fr_BE", 0.08),
    ("pt_PT", 0.08),
    ("it_IT", 0.07),
    ("es_ES", 0.07),
    ("de_DE", 0.03),
    ("fr_CH", 0.02),
    ("tr_TR", 0.02),
)
MAGHREBI_SHARE = 1.0 - sum(share for _, share in LOCALE_SHARES)


def _provider_lists(locale: str) -> tuple[list[str], list[str], list[str]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider

    def names(attribute):
        values = getattr(provider, attribute, ())
        # Some providers keep {name: weight} dictionaries; the order is what we need.
        return [v for v in dict.fromkeys(values) if v.replace(" ", "").replace("-", "").isalpha()]

    return (
        names("last_names"),
        names("first_names_female"),
        names("first_names_male"),
    )


class WeightedPool:
    """Sample values with weight 1/rank**exponent: a few very common, a long tail."""

    def __init__(self, values, exponent: float = 0.9):
        self.values = list(values)
        self.cumulative = list(
            itertools.accumulate(1 / (rank**exponent) for rank in range(1, len(self.values) + 1))
        )
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> str:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


class MixedPool:
    """A weighted pool per origin, the origin drawn by its share."""

    def __init__(self, pools_and_shares):
        self.pools = [pool for pool, _ in pools_and_shares]
        self.cumulative = list(itertools.accumulate(share for _, share in pools_and_shares))

    def draw(self, rng: random.Random) -> str:
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.pools[min(index, len(self.pools) - 1)].draw(rng)


class NamePools:
    """Last names, and first names by sex, for one seed."""

    def __init__(self, seed: int):
        rng = random.Random(seed)
        last, female, male = [], [], []
        for locale, share in LOCALE_SHARES:
            last_names, first_female, first_male = _provider_lists(locale)
            if locale != "fr_FR":
                # Faker's lists other than fr_FR are alphabetical: rank them at random.
                for values in (last_names, first_female, first_male):
                    rng.shuffle(values)
            if last_names:
                last.append((WeightedPool(last_names), share))
            female.append((WeightedPool(first_female or ["Marie"]), share))
            male.append((WeightedPool(first_male or ["Jean"]), share))
        last.append((WeightedPool(MAGHREBI_LAST_NAMES), MAGHREBI_SHARE))
        female.append((WeightedPool(MAGHREBI_FIRST_NAMES_FEMALE), MAGHREBI_SHARE))
        male.append((WeightedPool(MAGHREBI_FIRST_NAMES_MALE), MAGHREBI_SHARE))
        self.last = MixedPool(last)
        self.female = MixedPool(female)
        self.male = MixedPool(male)

    def last_name(self, rng: random.Random) -> str:
        name = self.last.draw(rng)
        if rng.random() < 0.04:
            # Double-barrelled names ("Martin-Lefèvre"), frequent since the 2005 reform.
            name = f"{name}-{self.last.draw(rng)}"
        return name

    def first_name(self, rng: random.Random, sex: str) -> str:
        return (self.female if sex == "f" else self.male).draw(rng)
