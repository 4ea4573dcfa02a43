import json

from django.core.management.base import BaseCommand

from relais.scale.bench_targets import bench_targets


class Command(BaseCommand):
    help = "Liste, en JSON, les adresses que le banc de performance demande (scripts/bench.py)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **options):
        targets = bench_targets(
            seed=options["seed"], clients=options["clients"], year=options["year"]
        )
        self.stdout.write(json.dumps(targets, ensure_ascii=False))
