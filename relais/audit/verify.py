"""Verification of the hash chains: detects an edited, inserted or deleted row."""

from dataclasses import dataclass, field

from relais.audit.log import ACCESS_HASHED_FIELDS, CHANGE_HASHED_FIELDS, row_hash
from relais.audit.models import AccessEvent, ChainHead, ChangeEvent, Stream

STREAMS = {
    Stream.ACCESS: (AccessEvent, ACCESS_HASHED_FIELDS),
    Stream.CHANGE: (ChangeEvent, CHANGE_HASHED_FIELDS),
}


@dataclass
class ChainReport:
    organisation_id: int
    stream: str
    rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(head: ChainHead) -> ChainReport:
    model, hashed_fields = STREAMS[head.stream]
    report = ChainReport(head.organisation_id, head.stream)
    expected_seq, prev_hash = head.anchor_seq + 1, head.anchor_hash
    rows = (
        model.objects.filter(organisation_id=head.organisation_id, seq__gt=head.anchor_seq)
        .order_by("seq")
        .values("seq", "prev_hash", "hash", *[f for f in hashed_fields if f != "seq"])
    )
    for row in rows.iterator(chunk_size=5000):
        report.rows += 1
        if row["seq"] != expected_seq:
            report.problems.append(
                f"n° {expected_seq} à {row['seq'] - 1} manquant(s) (ligne supprimée)"
            )
        if row["prev_hash"] != prev_hash:
            report.problems.append(f"n° {row['seq']} : chaînage rompu")
        recomputed = row_hash(row["prev_hash"], {name: row[name] for name in hashed_fields})
        if recomputed != row["hash"]:
            report.problems.append(f"n° {row['seq']} : contenu modifié")
        expected_seq, prev_hash = row["seq"] + 1, row["hash"]
    if expected_seq - 1 != head.last_seq or prev_hash != head.last_hash:
        report.problems.append(
            f"la chaîne s'arrête au n° {expected_seq - 1} au lieu du n° {head.last_seq}"
        )
    return report


def verify_all(organisation_id: int | None = None) -> list[ChainReport]:
    heads = ChainHead.objects.order_by("organisation_id", "stream")
    if organisation_id is not None:
        heads = heads.filter(organisation_id=organisation_id)
    return [verify_chain(head) for head in heads]
