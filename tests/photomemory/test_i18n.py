"""The app's own words: every page, script, e-mail and API message in the user's language.

English is the source; every other language in settings.LANGUAGES has complete catalogs
(locale/<lang>/LC_MESSAGES/django.po and djangojs.po), so no page mixes languages.
"""

from __future__ import annotations

import ast
import re
import subprocess
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from billing.emails import billing_email_send_now
from projects.services import project_create
from rendering.models import GeneratedVideo, VideoStatus
from rendering.services.mail import video_send_ready_email

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
DOMAINS = ("django", "djangojs")
PASSWORD = "a-long-and-memorable-phrase"

# Phrases the English pages show (ours and allauth's) that a translated page must not: one
# left over means a string was not marked, not extracted or not translated. "Anmelden" and
# friends are allauth's German, which used to leak in when "de" was offered half-done.
ENGLISH = [
    "Skip to content",
    "Sign in",
    "Sign out",
    "Sign Up",
    "Get started",
    "Pricing",
    "Plan and billing",
    "Change password",
    "Language",
    "Your photos stay private",
    "Turn your photos into",
    "Create your first video",
    "Pick a style",
    "Gentle pans",
    "Our Summer",
    "Your projects",
    "Welcome",
    "New project",
    "Start a project",
    "No projects yet",
    "Drop photos here",
    "Add photos",
    "Save settings",
    "Make the video",
    "How it looks",
    "Words by AI",
    "Delete this project",
    "Plans and pricing",
    "per month",
    "Try it out",
    "For families",
    "Your current plan",
    "This month",
    "Videos rendered",
    "Invoices",
    "Password",
    "Forgot",
    "Remember Me",
    "Already have an account",
    "Anmelden",
    "Passwort",
    "E-Mail-Adresse",
]


# --- catalogs -----------------------------------------------------------------------------------
def parse_po(text: str) -> list[dict[str, Any]]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (by index), flags, obsolete."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    key: tuple[str, int] = ("", 0)
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            name, index, value = match.group(1), int(match.group(2) or 0), match.group(3)
            key = (name, index)
            if name == "msgstr":
                entry["msgstr"][index] = ast.literal_eval(value)
            else:
                entry[name] = ast.literal_eval(value)
        elif line.startswith('"'):
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += ast.literal_eval(line)
            else:
                entry[key[0]] += ast.literal_eval(line)
    return entries


def catalog(lang: str, domain: str) -> list[dict[str, Any]]:
    return parse_po((LOCALE / lang / "LC_MESSAGES" / f"{domain}.po").read_text(encoding="utf-8"))


def test_only_complete_languages_are_offered() -> None:
    assert [code for code, _name in settings.LANGUAGES][:1] == ["en"]
    assert {"fr", "ar"} <= set(TRANSLATED)
    on_disk = {path.name for path in LOCALE.iterdir() if path.is_dir()}
    assert set(TRANSLATED) == on_disk  # a catalog is offered, an offered language has one


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(lang: str, domain: str) -> None:
    entries = catalog(lang, domain)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert f"Language: {lang}\n" in header["msgstr"][0]
    assert len(messages) > (50 if domain == "django" else 20)

    nplurals = int(re.search(r"nplurals=(\d+)", header["msgstr"][0]).group(1))  # type: ignore[union-attr]
    assert nplurals == {"fr": 2, "ar": 6}.get(lang, nplurals)
    problems = []
    for entry in messages:
        if entry["obsolete"]:
            problems.append(("obsolete", entry["msgid"]))
        if "fuzzy" in entry["flags"]:
            problems.append(("fuzzy", entry["msgid"]))
        wanted = nplurals if "msgid_plural" in entry else 1
        forms = [entry["msgstr"].get(i, "") for i in range(wanted)]
        if not all(form.strip() for form in forms):
            problems.append(("untranslated", entry["msgid"]))
    assert problems == []


def test_the_catalogs_compile_cleanly() -> None:
    for path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, (path, result.stderr)
        assert "warning" not in result.stderr, (path, result.stderr)
    call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)
    for lang in TRANSLATED:
        for domain in DOMAINS:
            assert (LOCALE / lang / "LC_MESSAGES" / f"{domain}.mo").stat().st_size > 0


# --- pages ----------------------------------------------------------------------------------------
class _Text(HTMLParser):
    """What a reader sees or hears: text outside <script>/<style>, and labels in attributes."""

    ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "value", "content", "data-sample")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value and not (tag == "input" and name == "value"):
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") == "submit":
                self.parts.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(html: str) -> list[str]:
    text = visible_text(html)
    return [phrase for phrase in ENGLISH if phrase in text]


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)  # type: ignore[union-attr]


@pytest.fixture
def project(bob: User) -> Any:
    return project_create(owner=bob, title="Lisbonne 2026")


VISITOR_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/pricing/"]
USER_PAGES = ["/", "/projects/{project}/", "/pricing/", "/billing/"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_a_visitors_page_has_no_english_left(client: Client, lang: str, path: str) -> None:
    response = client.get(path, headers={"accept-language": lang})

    assert response.status_code == 200
    html = response.content.decode()
    assert english_left(html) == []
    assert f'lang="{lang}"' in html_tag(html)
    assert ('dir="rtl"' if lang == "ar" else 'dir="ltr"') in html_tag(html)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("path", USER_PAGES)
def test_a_users_page_has_no_english_left(
    client: Client, bob: User, project: Any, lang: str, path: str
) -> None:
    bob.language = lang
    bob.save(update_fields=["language"])
    client.force_login(bob)

    # The browser says English; the language saved on the profile wins.
    response = client.get(path.format(project=project.public_id), headers={"accept-language": "en"})

    assert response.status_code == 200
    html = response.content.decode()
    assert english_left(html) == []
    assert ('dir="rtl"' if lang == "ar" else 'dir="ltr"') in html_tag(html)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_empty_dashboard_has_no_english_left(client: Client, charlie: User, lang: str) -> None:
    charlie.language = lang
    charlie.save(update_fields=["language"])
    client.force_login(charlie)

    assert english_left(client.get("/").content.decode()) == []


@pytest.mark.django_db
def test_the_english_pages_show_the_phrases_the_checks_look_for(
    client: Client, bob: User, charlie: User, project: Any
) -> None:
    """The list of English phrases is real: each one shows up on some English page."""
    seen = " ".join(visible_text(client.get(path).content.decode()) for path in VISITOR_PAGES)
    client.force_login(charlie)  # no project yet: the dashboard's empty state
    seen += visible_text(client.get("/").content.decode())
    client.force_login(bob)
    seen += " ".join(
        visible_text(client.get(path.format(project=project.public_id)).content.decode())
        for path in USER_PAGES
    )
    german = {"Anmelden", "Passwort", "E-Mail-Adresse"}
    assert [phrase for phrase in ENGLISH if phrase not in seen and phrase not in german] == []


@pytest.mark.django_db
def test_a_visitor_gets_the_language_of_accept_language(client: Client) -> None:
    html = client.get("/", headers={"accept-language": "ar,en;q=0.5"}).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "حوّل صورك إلى" in html


@pytest.mark.django_db
def test_the_staff_admin_stays_in_english(client: Client, alice: User) -> None:
    alice.language = "fr"
    alice.save(update_fields=["language"])
    client.force_login(alice)

    admin = client.get(f"/admin/accounts/user/{alice.pk}/change/").content.decode()
    site = client.get("/").content.decode()

    assert '<html lang="en"' in admin and "Plan and usage" in admin
    assert "Offre et utilisation" not in admin and "Enregistrer" not in admin
    assert '<html lang="fr" dir="ltr">' in site


@pytest.mark.django_db
def test_a_language_not_offered_falls_back_to_english(client: Client) -> None:
    html = client.get("/", headers={"accept-language": "de"}).content.decode()

    assert '<html lang="en" dir="ltr">' in html
    assert "Anmelden" not in html


@pytest.mark.django_db
def test_the_scripts_get_their_words_from_the_catalog_before_they_run(
    client: Client, bob: User, project: Any
) -> None:
    client.force_login(bob)
    html = client.get(f"/projects/{project.public_id}/").content.decode()
    catalog_at = html.index('<script src="/jsi18n/"></script>')
    assert catalog_at < html.index("projects/editor.js") < html.index("rendering/video.js")

    bob.language = "fr"
    bob.save(update_fields=["language"])
    script = client.get("/jsi18n/")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    body = script.content.decode()
    assert "Enregistrement\\u2026" in body or "Enregistrement…" in body
    assert "nplurals" not in body or "pluralidx" in body


# --- the switcher and sign-in ---------------------------------------------------------------------
@pytest.mark.django_db
def test_the_switcher_saves_the_choice_and_the_next_sign_in_uses_it(
    client: Client, bob: User, password: str
) -> None:
    client.force_login(bob)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"
    bob.refresh_from_db()
    assert bob.language == "ar"

    # Sign out, forget the cookie, come back from an English browser on another device.
    client.post("/accounts/logout/")
    other = Client(headers={"accept-language": "en"})
    signin = other.post("/accounts/login/", {"login": bob.email, "password": password})
    assert signin.status_code == 302
    assert other.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    html = other.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "مشاريعك" in html


@pytest.mark.django_db
def test_a_visitors_switch_sets_the_cookie_only(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/pricing/"})

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Offres et tarifs" in client.get("/pricing/").content.decode()


@pytest.mark.django_db
def test_the_switcher_ignores_a_language_not_offered(client: Client, bob: User) -> None:
    client.force_login(bob)
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    bob.refresh_from_db()
    assert bob.language == "en"


@pytest.mark.django_db
def test_a_new_account_keeps_the_language_it_signed_up_in(client: Client) -> None:
    client.post(
        "/accounts/signup/",
        {"email": "dora@example.com", "password1": PASSWORD, "password2": PASSWORD},
        headers={"accept-language": "fr"},
    )

    assert User.objects.get(email="dora@example.com").language == "fr"
    [message] = mail.outbox  # the verification mail, in French too
    assert message.body.startswith("Bonjour de la part de PhotoMemory AI")


# --- API messages ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_api_error_speaks_french_to_accept_language_fr(client: Client) -> None:
    response = client.get("/api/v1/projects/", headers={"accept-language": "fr"})

    assert response.status_code in (401, 403)
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"  # codes are never translated
    assert error["message"] == "Connectez-vous pour continuer."


@pytest.mark.django_db
def test_an_api_error_raised_by_a_service_is_in_the_users_language(
    client: Client, bob: User, project: Any
) -> None:
    bob.language = "fr"
    bob.save(update_fields=["language"])
    client.force_login(bob)

    missing = client.get(f"/api/v1/projects/{uuid.uuid4()}/")
    nothing = client.post(f"/api/v1/projects/{project.public_id}/render/")

    assert missing.json()["error"] == {
        "code": "not_found",
        "message": "Introuvable. Cet élément a peut-être été supprimé.",
        "fields": {},
    }
    assert nothing.json()["error"]["code"] == "no_photos"
    assert nothing.json()["error"]["message"] == (
        "Ajoutez au moins une photo avant de créer la vidéo."
    )


@pytest.mark.django_db
def test_the_same_api_error_in_arabic_and_english(client: Client) -> None:
    arabic = client.get("/api/v1/projects/", headers={"accept-language": "ar"}).json()
    english = client.get("/api/v1/projects/", headers={"accept-language": "en"}).json()

    assert arabic["error"]["message"] == "سجّل الدخول للمتابعة."
    assert english["error"]["message"] == "Sign in to continue."


# --- e-mails --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_password_reset_mail_is_in_the_users_language(client: Client, bob: User) -> None:
    bob.language = "ar"
    bob.save(update_fields=["language"])

    # Asked for from an English browser: the mail still follows the account's language.
    client.post(
        "/accounts/password/reset/", {"email": bob.email}, headers={"accept-language": "en"}
    )

    [message] = mail.outbox
    assert message.body.startswith("تحية من PhotoMemory AI!")
    assert "Hello" not in message.body and "Password Reset" not in message.subject


@pytest.mark.django_db
def test_our_own_mails_are_in_the_users_language(bob: User) -> None:
    bob.language = "fr"
    bob.save(update_fields=["language"])
    project = project_create(owner=bob, title="Été")
    video = GeneratedVideo.objects.create(
        project=project, owner=bob, status=VideoStatus.COMPLETED, duration=84, photo_count=12
    )

    billing_email_send_now(kind="payment_failed", user_id=bob.pk)
    video_send_ready_email(video=video)

    billing, ready = mail.outbox
    assert billing.subject.endswith("Votre paiement n’a pas abouti")
    assert billing.body.startswith("Bonjour Bob Baker,")
    assert "nous n’avons pas pu encaisser le paiement" in billing.body
    assert ready.subject.endswith("Votre vidéo souvenir « Été » est prête")
    assert "elle dure 1:24 et a été créée à partir de 12 photos." in ready.body
    assert "Hello" not in str(billing.body) + str(ready.body)
