"""The case page's timeline: the most recent entries first, the older ones a link away."""

import datetime
import re
from html import unescape

from django.urls import reverse
from django.utils import timezone

from relais.cases import selectors
from relais.cases import services as s


def long_history(alice, bob, case, n: int) -> None:
    """n interviews an hour apart, each with a note: a fact, then an assessment bob may not
    read, in turn; a few notes on their own, done tasks and aid requests among them."""
    now = timezone.now()
    for i in range(n):
        s.intervention_record(
            by=alice,
            case=case,
            kind="phone",
            occurred_at=now - datetime.timedelta(hours=i + 1),
            note_body=f"Entretien {i}" if i % 2 else f"Analyse réservée {i}",
            note_kind="fact" if i % 2 else "assessment",
        )
        if i % 10 == 0:
            s.note_add(by=alice, case=case, body=f"Note seule {i}", kind="fact")
            task = s.task_create(
                by=alice, case=case, assignee=alice, title=f"Tâche {i}", due_on=now.date()
            )
            s.task_complete(by=alice, task=task)
            s.aid_request(by=alice, case=case, kind="loan", funder="CSE", amount_requested=10)


def entries(page: str) -> list[str]:
    timeline = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    return [item.strip() for item in timeline.split("<li")[1:]]


def older_link(page: str) -> str | None:
    """The "voir plus" link: an ordinary link (reached with Tab, followed with Enter)."""
    found = re.search(r'<a href="(\?avant=[^"#]+)#historique">Voir plus', page)
    return unescape(found.group(1)) if found else None


def walk(client, url: str) -> tuple[list[str], int]:
    """Every entry, following "voir plus" from the first page to the last."""
    seen, pages, link = [], 0, ""
    while link is not None:
        response = client.get(url + link)
        assert response.status_code == 200
        seen += entries(response.text)
        pages += 1
        link = older_link(response.text)
    return seen, pages


def test_a_long_case_shows_its_latest_entries_and_links_to_the_older_ones(client, alice, bob, file):
    long_history(alice, bob, file.case, 70)
    client.force_login(alice)
    url = reverse("cases:detail", args=[file.case.public_id])
    first = client.get(url).text
    shown = entries(first)
    assert 0 < len(shown) <= selectors.TIMELINE_LIMIT
    assert "Analyse réservée 0" in first and "Entretien 1" in first
    assert "Entretien 69" not in first
    assert older_link(first) is not None
    assert "?historique=complet#historique" in first

    older = client.get(url + older_link(first)).text
    assert "Revenir aux plus récents" in older and "Analyse réservée 0" not in older
    assert set(entries(older)).isdisjoint(shown)

    everything = entries(client.get(url + "?historique=complet").text)
    walked, pages = walk(client, url)
    assert pages > 1
    assert walked == everything
    assert any("Entretien 69" in entry for entry in walked)
    assert any("Ouverture de l" in entry for entry in walked)


def test_the_older_entries_keep_each_note_to_its_readers(client, alice, bob, file):
    long_history(alice, bob, file.case, 70)
    s.case_share(
        by=alice,
        case=file.case,
        shared_with=bob,
        until=timezone.localdate() + datetime.timedelta(days=10),
        reason="Congés",
    )
    client.force_login(bob)
    walked, pages = walk(client, reverse("cases:detail", args=[file.case.public_id]))
    assert pages > 1
    text = "".join(walked)
    assert "Entretien 69" in text and "Note seule 60" in text
    assert "Analyse réservée" not in text and "Madame semble très fatiguée" not in text


def test_the_older_entries_cost_the_same_queries_as_the_first_page(
    client, django_assert_num_queries, alice, bob, file
):
    from tests.cases.test_query_counts import CASE_PAGE_QUERIES

    long_history(alice, bob, file.case, 120)
    client.force_login(alice)
    url = reverse("cases:detail", args=[file.case.public_id])
    link = older_link(client.get(url).text)
    client.get(url + link)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        older = client.get(url + link)
    assert older_link(older.text) is not None


def test_an_unreadable_moment_shows_the_latest_entries(client, alice, bob, file):
    long_history(alice, bob, file.case, 60)
    client.force_login(alice)
    url = reverse("cases:detail", args=[file.case.public_id])
    assert entries(client.get(url + "?avant=hier").text) == entries(client.get(url).text)


def test_another_organisation_gets_404_on_the_older_entries(client, alice, bob, charlie, file):
    long_history(alice, bob, file.case, 60)
    client.force_login(alice)
    url = reverse("cases:detail", args=[file.case.public_id])
    link = older_link(client.get(url).text)
    client.force_login(charlie)
    assert client.get(url + link).status_code == 404


def test_other_entries_just_above_the_oldest_interview_read_are_neither_lost_nor_repeated(
    client, alice, file
):
    """More interviews than a page holds, and other entries among the last interviews the
    first page reads, some at the very moment of an interview: walking the pages gives
    the whole history once."""
    from relais.cases.models import Task
    from tests import factories

    case, limit = file.case, selectors.TIMELINE_LIMIT
    now = timezone.now()
    moments = [now - datetime.timedelta(hours=i + 1) for i in range(limit + 10)]
    for moment in moments:
        s.intervention_record(by=alice, case=case, kind="phone", occurred_at=moment)
    for i in range(limit - 6, limit + 1):
        task = factories.TaskFactory(
            case=case, organisation=case.organisation, assignee=alice, title=f"Même {i}"
        )
        Task.objects.filter(pk=task.pk).update(done_at=moments[i])
        factories.AppointmentFactory(
            person=case.person,
            case=case,
            worker=alice,
            starts_at=moments[i] - datetime.timedelta(minutes=30),
            status="missed",
        )
    client.force_login(alice)
    url = reverse("cases:detail", args=[case.public_id])
    everything = entries(client.get(url + "?historique=complet").text)
    walked, pages = walk(client, url)
    assert pages >= 2
    assert walked == everything
    assert sum("Même" in entry for entry in walked) == 7
