"""Sharing with stakeholders of the card's line, withdrawing, and hearing the answer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import CardEventKind, CardShare, Response
from stakeholders.models import Stakeholder
from tests.conftest import HTMX
from tests.recommendations.factories import make_card

pytestmark = pytest.mark.django_db


def sam(personas) -> Stakeholder:
    return personas.stakeholder.stakeholder_profile


def bea(personas) -> Stakeholder:
    return personas.stakeholder_b.stakeholder_profile


def share_url(card) -> str:
    return reverse("recommendations:card_share", args=[card.pk])


def test_the_share_form_offers_only_the_lines_stakeholders(personas, client_for):
    card = make_card(personas.line_a, status="reviewed")
    body = client_for(personas.liaison).get(card.get_absolute_url()).content.decode()
    assert "Sam Carter" in body
    assert "Bea Lind" not in body


def test_a_stakeholder_of_another_line_posted_by_hand_is_a_form_error(personas, client_for):
    card = make_card(personas.line_a, status="reviewed")
    response = client_for(personas.liaison).post(
        share_url(card), {"stakeholders": [bea(personas).pk], "note": "Hi"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CardShare.objects.exists()
    card.refresh_from_db()
    assert card.status == "reviewed"


def test_the_service_refuses_another_lines_stakeholder(personas):
    card = make_card(personas.line_a, status="reviewed")
    with pytest.raises(ValueError, match="its own line"):
        services.card_share(
            card=card, stakeholders=[bea(personas)], note="", actor=personas.liaison
        )


def test_sharing_emails_each_stakeholder_a_link(
    personas, client_for, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://itrm.example.com"
    person = sam(personas)
    person.email = "sam.carter@example.com"
    person.save()
    card = make_card(personas.line_a, status="reviewed")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.liaison).post(
            share_url(card), {"stakeholders": [person.pk], "note": "Worth ten minutes on Tuesday?"}
        )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == "shared"
    share = card.shares.get()
    assert share.note == "Worth ten minutes on Tuesday?"
    assert share.shared_by == personas.liaison
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sam.carter@example.com"]
    assert card.title in mail.subject
    assert "Worth ten minutes on Tuesday?" in mail.body
    assert f"https://itrm.example.com/for-you/{card.pk}/" in mail.body
    kinds = list(card.events.values_list("kind", flat=True))
    assert kinds[-2:] == [CardEventKind.SHARED, CardEventKind.STATUS]


def test_a_new_card_must_be_reviewed_before_sharing(personas, client_for, mailoutbox):
    card = make_card(personas.line_a, status="new")
    response = client_for(personas.liaison).post(
        share_url(card), {"stakeholders": [sam(personas).pk]}
    )
    assert "Review the card before sharing it." in response.content.decode()
    assert not CardShare.objects.exists()
    assert not mailoutbox


def test_only_the_lines_liaison_or_a_manager_shares(personas, client_for):
    card = make_card(personas.line_a, status="reviewed")
    data = {"stakeholders": [sam(personas).pk]}
    assert client_for(personas.liaison_b).post(share_url(card), data).status_code == 403
    assert client_for(personas.stakeholder).post(share_url(card), data).status_code == 403
    assert client_for(personas.manager).post(share_url(card), data).status_code == 302


def test_sharing_through_htmx_answers_the_card_fragment(personas, client_for):
    card = make_card(personas.line_a, status="reviewed")
    response = client_for(personas.liaison).post(
        share_url(card), {"stakeholders": [sam(personas).pk]}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="card-main"' in body
    assert "<html" not in body
    assert "Sam Carter" in body
    assert "Withdraw" in body


def test_withdrawing_the_last_share_takes_the_card_back_to_reviewed(personas, client_for):
    card = make_card(personas.line_a, status="reviewed")
    (share,) = services.card_share(
        card=card, stakeholders=[sam(personas)], note="", actor=personas.liaison
    )
    url = reverse("recommendations:share_withdraw", args=[card.pk, share.pk])
    assert client_for(personas.liaison_b).post(url).status_code == 403
    assert client_for(personas.liaison).post(url).status_code == 302
    share.refresh_from_db()
    card.refresh_from_db()
    assert share.withdrawn_at is not None
    assert card.status == "reviewed"
    assert card.events.filter(kind=CardEventKind.WITHDRAWN).exists()
    # Sharing again shows it again.
    services.card_share(card=card, stakeholders=[sam(personas)], note="", actor=personas.liaison)
    share.refresh_from_db()
    assert share.withdrawn_at is None


@pytest.mark.parametrize(("kind", "status"), [("accept", "accepted"), ("decline", "declined")])
def test_an_answer_moves_the_card_and_tells_the_liaison(
    personas, client_for, mailoutbox, kind, status, django_capture_on_commit_callbacks
):
    card = make_card(personas.line_a, status="reviewed")
    services.card_share(card=card, stakeholders=[sam(personas)], note="", actor=personas.liaison)
    url = reverse("recommendations:for_you_respond", args=[card.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.stakeholder).post(url, {"kind": kind, "text": "Go ahead"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == status
    answer = Response.objects.get()
    assert (answer.kind, answer.text, answer.author) == (kind, "Go ahead", personas.stakeholder)
    assert card.events.filter(kind=CardEventKind.RESPONSE, actor=personas.stakeholder).exists()
    (mail,) = mailoutbox
    assert mail.to == ["lena@example.com"]
    assert "Sam Carter" in mail.subject
    assert card.get_absolute_url() in mail.body


def test_a_comment_keeps_the_status_and_needs_text(personas, client_for, mailoutbox):
    card = make_card(personas.line_a, status="reviewed")
    services.card_share(card=card, stakeholders=[sam(personas)], note="", actor=personas.liaison)
    url = reverse("recommendations:for_you_respond", args=[card.pk])
    client = client_for(personas.stakeholder)
    response = client.post(url, {"kind": "comment", "text": ""}, **HTMX)
    assert "Write a comment first." in response.content.decode()
    response = client.post(url, {"kind": "comment", "text": "Which release?"}, **HTMX)
    body = response.content.decode()
    assert 'id="answer"' in body
    assert "<html" not in body
    assert "Which release?" in body
    card.refresh_from_db()
    assert card.status == "shared"
    assert Response.objects.get().kind == "comment"


def test_the_liaison_sees_answers_on_the_home_page(personas, client_for):
    card = make_card(personas.line_a, status="reviewed", title="Fix the save timeout")
    (share,) = services.card_share(
        card=card, stakeholders=[sam(personas)], note="", actor=personas.liaison
    )
    services.card_respond(
        share=share, kind="accept", text="Yes please", author=personas.stakeholder
    )
    body = client_for(personas.liaison).get(reverse("home")).content.decode()
    assert "Answers from the business" in body
    assert "Fix the save timeout" in body
    assert "Yes please" in body
    # Raj serves Finance only: Claims' answers are not his.
    body_b = client_for(personas.liaison_b).get(reverse("home")).content.decode()
    assert "Fix the save timeout" not in body_b


def test_accepting_through_htmx_updates_the_status_badge_out_of_band(personas, client_for):
    card = make_card(personas.line_a, status="reviewed")
    services.card_share(card=card, stakeholders=[sam(personas)], note="", actor=personas.liaison)
    url = reverse("recommendations:for_you_respond", args=[card.pk])

    response = client_for(personas.stakeholder).post(url, {"kind": "accept", "text": ""}, **HTMX)

    body = response.content.decode()
    assert 'id="card-status" hx-swap-oob="true"' in body
    assert "card-status-accepted" in body


def test_a_declined_card_goes_back_to_review_only_once_its_shares_are_withdrawn(personas):
    card = make_card(personas.line_a, status="reviewed")
    (share,) = services.card_share(
        card=card, stakeholders=[sam(personas)], note="", actor=personas.liaison
    )
    services.card_respond(
        share=share, kind="decline", text="", author=personas.stakeholder, notify=False
    )
    card.refresh_from_db()
    assert card.status == "declined"
    assert "reviewed" not in card.manual_moves()
    with pytest.raises(ValueError, match="Withdraw the shares"):
        services.card_move(card=card, to="reviewed", actor=personas.liaison)

    services.share_withdraw(share=share, actor=personas.liaison)

    card.refresh_from_db()
    assert card.status == "reviewed"
