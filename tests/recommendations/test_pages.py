"""The IT side's card pages: list, detail, edit, moves, review queue, and their fragments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import CardEventKind
from tests.conftest import HTMX
from tests.helpers import queries_for
from tests.recommendations.factories import make_card

pytestmark = pytest.mark.django_db

LIST = "recommendations:card_list"


def move(client, card, to, **extra):
    data = {"to": to, **extra.pop("data", {})}
    return client.post(reverse("recommendations:card_move", args=[card.pk]), data, **extra)


class TestCardList:
    def test_it_filters_by_line_status_and_source(self, personas, client_for):
        make_card(personas.line_a, title="Claims new trend")
        make_card(personas.line_a, status="reviewed", title="Claims reviewed trend")
        make_card(personas.line_b, title="Finance new trend")
        make_card(
            personas.line_a, source="manual", signature=None, title="Claims by hand", evidence={}
        )
        client = client_for(personas.liaison)
        body = client.get(
            reverse(LIST), {"line": "claims", "status": "new", "source": "trend"}
        ).content.decode()
        assert "Claims new trend" in body
        for other in ("Claims reviewed trend", "Finance new trend", "Claims by hand"):
            assert other not in body

    def test_a_bad_filter_is_a_form_error(self, personas, client_for):
        make_card(personas.line_a, title="Claims new trend")
        response = client_for(personas.liaison).get(reverse(LIST), {"status": "nonsense"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_its_htmx_fragment_is_the_results(self, personas, client_for):
        make_card(personas.line_a, title="Claims new trend")
        body = client_for(personas.liaison).get(reverse(LIST), **HTMX).content.decode()
        assert 'id="results"' in body
        assert "<html" not in body

    def test_it_runs_the_same_queries_for_many_cards(self, personas, client_for):
        client = client_for(personas.manager)
        make_card(personas.line_a)
        few = queries_for(client, reverse(LIST))
        for i in range(40):
            card = make_card(personas.line_b if i % 2 else personas.line_a)
            card.shares.create(stakeholder=personas.stakeholder.stakeholder_profile)
        assert queries_for(client, reverse(LIST)) == few

    def test_it_refuses_the_wrong_method(self, personas, client_for):
        assert client_for(personas.liaison).post(reverse(LIST)).status_code == 405


class TestCardDetail:
    def test_it_shows_proposal_history_and_evidence(self, personas, client_for):
        card = make_card(personas.line_a, title="Freezes on save")
        body = client_for(personas.liaison_b).get(card.get_absolute_url()).content.decode()
        assert "Freezes on save" in body
        assert 'id="card-history"' in body
        assert 'id="card-evidence"' in body
        # Raj reads every line but edits only Finance's cards.
        assert "Edit the proposal" not in body
        assert "Mark reviewed" not in body

    def test_the_lines_liaison_gets_the_edit_form_and_the_moves(self, personas, client_for):
        card = make_card(personas.line_a)
        body = client_for(personas.liaison).get(card.get_absolute_url()).content.decode()
        assert "Edit the proposal" in body
        assert "Mark reviewed" in body
        assert "Why dismiss it?" in body

    def test_it_runs_the_same_queries_with_a_long_history(self, personas, client_for):
        card = make_card(personas.line_a, status="reviewed")
        client = client_for(personas.liaison)
        few = queries_for(client, card.get_absolute_url())
        for _ in range(30):
            card.events.create(kind=CardEventKind.EDITED, actor=personas.liaison, note="title")
        assert queries_for(client, card.get_absolute_url()) == few


class TestMoves:
    def test_marking_reviewed_through_htmx_answers_the_card_fragment(self, personas, client_for):
        card = make_card(personas.line_a)
        response = move(client_for(personas.liaison), card, "reviewed", **HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert 'id="card-main"' in body
        assert "<html" not in body
        assert "Share and email" in body
        card.refresh_from_db()
        assert card.status == "reviewed"

    def test_without_javascript_it_redirects_to_the_card(self, personas, client_for):
        card = make_card(personas.line_a)
        response = move(client_for(personas.liaison), card, "reviewed")
        assert response.status_code == 302
        assert response["Location"] == card.get_absolute_url()

    def test_an_illegal_move_is_refused(self, personas, client_for):
        card = make_card(personas.line_a)
        response = move(client_for(personas.liaison), card, "done")
        assert response.status_code == 400
        card.refresh_from_db()
        assert card.status == "new"
        assert move(client_for(personas.liaison), card, "accepted").status_code == 400

    def test_a_refused_move_through_htmx_shows_its_reason_in_the_fragment(
        self, personas, client_for
    ):
        card = make_card(personas.line_a)
        response = move(client_for(personas.liaison), card, "done", **HTMX)
        # htmx swaps only 2xx answers: the reason must come back in a swappable fragment.
        assert response.status_code == 200
        body = response.content.decode()
        assert "<html" not in body
        assert 'role="alert"' in body
        card.refresh_from_db()
        assert card.status == "new"

    def test_dismissing_without_a_reason_shows_the_error(self, personas, client_for):
        card = make_card(personas.line_a)
        response = move(client_for(personas.liaison), card, "dismissed", **HTMX)
        assert "Say why the card is dismissed." in response.content.decode()
        card.refresh_from_db()
        assert card.status == "new"

    def test_only_the_lines_liaison_or_a_manager_moves_a_card(self, personas, client_for):
        card = make_card(personas.line_a)
        for user in (personas.liaison_b, personas.stakeholder, personas.outsider):
            assert move(client_for(user), card, "reviewed").status_code == 403
        assert move(client_for(personas.manager), card, "reviewed").status_code == 302

    def test_moves_refuse_get(self, personas, client_for):
        card = make_card(personas.line_a)
        url = reverse("recommendations:card_move", args=[card.pk])
        assert client_for(personas.liaison).get(url).status_code == 405


class TestEdit:
    def url(self, card):
        return reverse("recommendations:card_edit", args=[card.pk])

    def test_the_liaison_edits_the_words_not_the_evidence(self, personas, client_for):
        card = make_card(personas.line_a)
        evidence = card.evidence
        response = client_for(personas.liaison).post(
            self.url(card),
            {
                "title": "Raise the save timeout",
                "summary": "Short.",
                "suggested_action": "Do it.",
                "evidence": "{}",
                "status": "done",
            },
        )
        assert response.status_code == 302
        card.refresh_from_db()
        assert (card.title, card.summary, card.suggested_action) == (
            "Raise the save timeout",
            "Short.",
            "Do it.",
        )
        assert card.evidence == evidence
        assert card.status == "new"
        assert card.events.filter(kind=CardEventKind.EDITED, actor=personas.liaison).exists()

    def test_a_shared_card_is_no_longer_edited(self, personas, client_for):
        card = make_card(personas.line_a, status="shared", title="Kept")
        client_for(personas.liaison).post(self.url(card), {"title": "Changed"})
        card.refresh_from_db()
        assert card.title == "Kept"

    def test_other_liaisons_cannot_edit(self, personas, client_for):
        card = make_card(personas.line_a)
        response = client_for(personas.liaison_b).post(self.url(card), {"title": "x"})
        assert response.status_code == 403

    def test_an_empty_title_is_a_form_error_in_the_fragment(self, personas, client_for):
        card = make_card(personas.line_a)
        response = client_for(personas.liaison).post(self.url(card), {"title": ""}, **HTMX)
        body = response.content.decode()
        assert "This field is required." in body
        assert 'id="card-main"' in body
        assert "<html" not in body


class TestReviewQueue:
    URL = "recommendations:review_queue"

    def test_it_lists_new_cards_of_my_lines_best_first(self, personas, client_for):
        make_card(personas.line_a, title="Low score", score=1.0)
        make_card(personas.line_a, title="High score", score=9.0)
        make_card(personas.line_a, status="reviewed", title="Already reviewed")
        make_card(personas.line_b, title="Finance card", score=99.0)
        body = client_for(personas.liaison).get(reverse(self.URL)).content.decode()
        assert body.index("High score") < body.index("Low score")
        assert "Already reviewed" not in body
        assert "Finance card" not in body
        assert "review-queue.js" in body

    def test_a_long_queue_is_paged(self, personas, client_for, settings):
        settings.PAGE_SIZE = 2
        for n in range(5):
            make_card(personas.line_a, title=f"Card {n}", score=float(n))
        client = client_for(personas.liaison)
        first = client.get(reverse(self.URL)).content.decode()
        last = client.get(reverse(self.URL), {"page": 3}).content.decode()
        assert "Card 4" in first
        assert "Card 0" not in first
        assert "Page 1 of 3 · 5 in all" in first
        assert "Card 0" in last

    def test_a_manager_sees_every_lines_new_cards(self, personas, client_for):
        make_card(personas.line_a, title="Claims card")
        make_card(personas.line_b, title="Finance card")
        body = client_for(personas.manager).get(reverse(self.URL)).content.decode()
        assert "Claims card" in body
        assert "Finance card" in body

    def test_reviewing_from_the_queue_swaps_the_row(self, personas, client_for):
        card = make_card(personas.line_a)
        response = move(
            client_for(personas.liaison), card, "reviewed", data={"in": "queue"}, **HTMX
        )
        body = response.content.decode()
        assert body.strip().startswith(f'<li id="card-{card.pk}"')
        assert "Marked reviewed" in body

    def test_dismissing_from_the_queue_without_a_reason_keeps_the_row(self, personas, client_for):
        card = make_card(personas.line_a)
        response = move(
            client_for(personas.liaison), card, "dismissed", data={"in": "queue"}, **HTMX
        )
        body = response.content.decode()
        assert f'id="card-{card.pk}"' in body
        assert "Say why the card is dismissed." in body

    def test_editing_inline_in_the_queue(self, personas, client_for):
        card = make_card(personas.line_a)
        client = client_for(personas.liaison)
        url = reverse("recommendations:card_edit", args=[card.pk])
        form = client.get(url, {"in": "queue"}, **HTMX).content.decode()
        assert "card-row-editing" in form
        saved = client.post(
            url,
            {"in": "queue", "title": "Better title", "summary": "", "suggested_action": ""},
            **HTMX,
        ).content.decode()
        assert "Better title" in saved
        assert "data-reviewed" in saved

    def test_it_runs_the_same_queries_for_many_cards(self, personas, client_for):
        client = client_for(personas.liaison)
        make_card(personas.line_a)
        few = queries_for(client, reverse(self.URL))
        for _ in range(30):
            make_card(personas.line_a)
        assert queries_for(client, reverse(self.URL)) == few


def test_a_shared_card_goes_back_to_review_only_by_withdrawing(personas, client_for):
    card = make_card(personas.line_a, status="shared")
    card.shares.create(stakeholder=personas.stakeholder.stakeholder_profile)
    client = client_for(personas.liaison)
    body = client.get(card.get_absolute_url()).content.decode()
    assert "Back to review" not in body
    assert "Mark reviewed" not in body
    # Sam has it already, so the share form offers no one else.
    assert 'name="stakeholders"' not in body
    assert move(client, card, "reviewed").status_code == 400
    card.refresh_from_db()
    assert card.status == "shared"
