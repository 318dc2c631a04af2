"""What every answer tells the browser: the Content-Security-Policy, HSTS behind the proxy, and
no caching of anything a logged-in user is shown."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renaksi.services import bukti_add

pytestmark = pytest.mark.django_db

CONFIRM_HANDLER = "return confirm(this.dataset.konfirmasi)"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def preview_style() -> str:
    """The one <style> block a served page carries (no template tags inside: as rendered)."""
    template = Path(settings.BASE_DIR, "templates/renaksi/formulir_pratinjau.html").read_text()
    (css,) = re.findall(r"<style>(.*?)</style>", template, re.S)
    assert "{%" not in css and "{{" not in css
    return css


def policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives}


def test_it_allows_only_the_apps_own_scripts_styles_fonts_and_images(client, users, rencana):
    client.force_login(users["kepala"])
    response = client.get(reverse("rencana_aksi", args=[2023]))
    assert response.status_code == 200
    csp = policy(response)
    for directive in ("default-src", "font-src", "img-src"):
        assert csp[directive] == ["'self'"], directive
    assert csp["style-src"] == ["'self'", f"'sha256-{sha256(preview_style())}'"]
    # Scripts: our files, and the one inline confirm handler by its hash (no other inline code).
    assert csp["script-src"] == ["'self'", "'unsafe-hashes'", f"'sha256-{sha256(CONFIRM_HANDLER)}'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    # The login page too, where a stolen password would be typed.
    assert policy(client.get(reverse("login")))["script-src"][0] == "'self'"


def test_it_allows_exactly_the_inline_handlers_the_templates_carry(client, users, rencana):
    """Every inline event handler on the entry page is the one whose hash the policy lists."""
    client.force_login(users["admin"])
    html = client.get(reverse("realisasi_form", args=[2023, 1])).content.decode()
    handlers = set(re.findall(r'\son[a-z]+="([^"]*)"', html))
    assert handlers == {CONFIRM_HANDLER}


def test_it_renders_base_html_without_an_inline_style_the_policy_would_refuse(client):
    html = client.get(reverse("login")).content.decode()
    assert "style=" not in html and "<style" not in html and "<script>" not in html
    assert 'class="inline language alone"' in html


def test_it_sends_hsts_only_over_https_behind_the_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    over_https = client.get(reverse("login"), headers={"x-forwarded-proto": "https"})
    assert over_https["Strict-Transport-Security"] == "max-age=31536000"
    # Browsers ignore HSTS over plain HTTP; Django rightly does not send it there.
    assert "Strict-Transport-Security" not in client.get(reverse("login"))


@pytest.mark.parametrize("name", ["rencana_aksi", "rencana_aksi_xlsx", "realisasi_form"])
def test_it_forbids_caching_pages_and_downloads_of_agency_data(client, users, rencana, name):
    client.force_login(users["kepala"])
    args = [2023, 1] if name == "realisasi_form" else [2023]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]


def test_it_forbids_caching_an_evidence_file(client, users, rencana, subs):
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    (bukti,) = bukti_add(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        uploads={f"sub-{sub.pk}": [SimpleUploadedFile("bukti.pdf", PDF)]},
    )
    client.force_login(users["kepala"])
    response = client.get(reverse("bukti_download", args=[bukti.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_it_leaves_the_cache_headers_of_anonymous_pages_to_their_views(client):
    # The login page holds no agency data; Django's own never_cache headers stay as they are.
    response = client.get(reverse("login"))
    assert response["Cache-Control"] != "private, no-store"
    assert "no-store" in response["Cache-Control"]  # Django's login view: never_cache
