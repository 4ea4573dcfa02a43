"""Drafts are the user's own scratch copy, not part of the social file: they are not
audited as changes (the text that matters is audited when the form is sent)."""

from django.db import transaction
from django.utils import timezone

from relais.drafts.models import DRAFT_LIFETIME, Draft
from relais.policy import rules

MAX_DRAFTS_PER_USER = 50


@transaction.atomic
def draft_save(*, by, key: str, text: str) -> None:
    organisation_id = rules.organisation_id(by)
    mine = Draft.objects.filter(organisation_id=organisation_id, user=by)
    if not text.strip():
        mine.filter(key=key).delete()
        return
    draft = mine.filter(key=key).first() or Draft(organisation_id=organisation_id, user=by, key=key)
    draft.text = text
    draft.save()
    # Old drafts go, and a user never keeps more than a screenful of them.
    mine.filter(updated_at__lt=timezone.now() - DRAFT_LIFETIME).delete()
    stale = mine.order_by("-updated_at").values_list("pk", flat=True)[MAX_DRAFTS_PER_USER:]
    if stale:
        Draft.objects.filter(pk__in=list(stale)).delete()


def drafts_for(*, user, keys: list[str]) -> dict[str, str]:
    since = timezone.now() - DRAFT_LIFETIME
    rows = Draft.objects.filter(
        organisation_id=rules.organisation_id(user), user=user, key__in=keys, updated_at__gte=since
    )
    return {draft.key: draft.text for draft in rows}


def drafts_clear(*, user, path: str) -> None:
    Draft.objects.filter(
        organisation_id=rules.organisation_id(user), user=user, key__startswith=f"{path}#"
    ).delete()
