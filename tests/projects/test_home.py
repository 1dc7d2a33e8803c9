"""The home page: landing for visitors, project dashboard for signed-in users."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_shows_visitors_the_landing_page_with_four_styles(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Turn your photos into a <em>memory video</em>" in html
    for style in ("Classic", "Modern", "Cinematic", "Vintage"):
        assert f"<h3>{style}</h3>" in html
    assert 'href="/accounts/signup/"' in html


def test_it_shows_signed_in_users_their_empty_dashboard(client: Client, bob: User) -> None:
    client.force_login(bob)
    html = client.get("/").content.decode()
    assert "Your projects" in html
    assert "No projects yet" in html
    assert bob.email in html  # the account menu


def test_it_sends_security_headers_and_no_inline_code(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    assert "<script>" not in html and "style=" not in html


def test_it_serves_the_stylesheet(client: Client) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("css/app.css")
    assert b"/static/css/app.css" in client.get("/").content


def test_it_greets_a_brand_new_user_as_new_with_their_plans_real_photo_cap(
    client: Client, bob: User
) -> None:
    client.force_login(bob)
    html = client.get("/").content.decode()
    assert "Welcome to PhotoMemory, Bob." in html
    assert "Welcome back" not in html
    assert "add up to 50 photos (the most your Free plan takes)" in html
    assert "10–100" not in html


def test_it_welcomes_back_a_user_who_has_projects(client: Client, bob: User) -> None:
    from projects.services import project_create

    project_create(owner=bob, title="Summer in Lisbon")
    client.force_login(bob)
    html = client.get("/").content.decode()
    assert "Welcome back, Bob." in html and "Summer in Lisbon" in html


def test_it_answers_head_requests_for_the_home_page(client: Client, bob: User) -> None:
    response = client.head("/")
    assert response.status_code == 200 and response.content == b""
    client.force_login(bob)
    assert client.head("/").status_code == 200
    assert client.post("/").status_code == 405
