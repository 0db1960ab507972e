from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from tests.personas import PASSWORD


def test_login_sends_it_staff_to_their_work(personas, client):
    response = client.post(
        reverse("login"), {"username": "lena", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Business lines you serve" in response.content.decode()


def test_login_with_a_wrong_password_says_so(personas, client):
    response = client.post(reverse("login"), {"username": "lena", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_needs_post(personas, client_for):
    client = client_for(personas.liaison)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("stakeholders:line_list")).status_code == 302


def test_password_reset_by_email_end_to_end(personas, client):
    client.post(reverse("password_reset"), {"email": "lena@example.com"})
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/]+(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert found, mail.outbox[0].body
    link = found.group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
    )
    assert response.status_code == 302
    assert client.login(username="lena", password="a-new-long-passphrase-42")


def test_password_change(personas, client_for):
    client = client_for(personas.stakeholder)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    personas.stakeholder.refresh_from_db()
    assert personas.stakeholder.check_password("another-long-passphrase-7")
