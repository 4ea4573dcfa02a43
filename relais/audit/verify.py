"""Verification of the hash chains: detects an edited, inserted or deleted row."""

from dataclasses import dataclass, field

from django.db.models import Max, Min

from relais.audit.log import ACCESS_HASHED_FIELDS, CHANGE_HASHED_FIELDS, row_hash
from relais.audit.models import AccessEvent, ChainHead, ChangeEvent, Stream

STREAMS = {
    Stream.ACCESS: (AccessEvent, ACCESS_HASHED_FIELDS),
    Stream.CHANGE: (ChangeEvent, CHANGE_HASHED_FIELDS),
}
# A chain broken in many places is reported by its first problems, not row by row.
MAX_PROBLEMS = 50


@dataclass
class ChainReport:
    organisation_id: int
    stream: str
    rows: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    anchor_seq: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("… (d'autres anomalies suivent)")


def verify_chain(head: ChainHead) -> ChainReport:
    model, hashed_fields = STREAMS[head.stream]
    report = ChainReport(head.organisation_id, head.stream, anchor_seq=head.anchor_seq)
    expected_seq, prev_hash = head.anchor_seq + 1, head.anchor_hash
    rows = (
        model.objects.filter(organisation_id=head.organisation_id, seq__gt=head.anchor_seq)
        .order_by("seq")
        .values("seq", "prev_hash", "hash", *[f for f in hashed_fields if f != "seq"])
    )
    for row in rows.iterator(chunk_size=5000):
        report.rows += 1
        report.first_seq = report.first_seq or row["seq"]
        report.last_seq = row["seq"]
        if row["seq"] != expected_seq:
            report.problem(f"n° {expected_seq} à {row['seq'] - 1} manquant(s) (ligne supprimée)")
        if row["prev_hash"] != prev_hash:
            report.problem(f"n° {row['seq']} : chaînage rompu")
        recomputed = row_hash(row["prev_hash"], {name: row[name] for name in hashed_fields})
        if recomputed != row["hash"]:
            report.problem(f"n° {row['seq']} : contenu modifié")
        expected_seq, prev_hash = row["seq"] + 1, row["hash"]
    if expected_seq - 1 != head.last_seq or prev_hash != head.last_hash:
        report.problem(
            f"la chaîne s'arrête au n° {expected_seq - 1} au lieu du n° {head.last_seq} "
            "(lignes finales supprimées ou tête de chaîne modifiée)"
        )
    return report


def _orphan_reports(heads, organisation_id: int | None) -> list[ChainReport]:
    """Rows whose chain has no head: the head was deleted, which no code path does."""
    known = {(head.organisation_id, head.stream) for head in heads}
    reports = []
    for stream, (model, _) in STREAMS.items():
        rows = model.objects.all()
        if organisation_id is not None:
            rows = rows.filter(organisation_id=organisation_id)
        for group in rows.values("organisation_id").annotate(first=Min("seq"), last=Max("seq")):
            if (group["organisation_id"], stream) not in known:
                report = ChainReport(group["organisation_id"], stream)
                report.problem(
                    f"tête de chaîne absente pour les n° {group['first']} à {group['last']}"
                )
                reports.append(report)
    return reports


def verify_all(organisation_id: int | None = None) -> list[ChainReport]:
    heads = list(ChainHead.objects.order_by("organisation_id", "stream"))
    if organisation_id is not None:
        heads = [head for head in heads if head.organisation_id == organisation_id]
    return [verify_chain(head) for head in heads] + _orphan_reports(heads, organisation_id)
