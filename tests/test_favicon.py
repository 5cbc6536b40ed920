"""Browsers ask every site for /favicon.ico: answer with a neutral icon, never a 404."""

import io

from PIL import Image

from safelight.urls import build_urlpatterns


def test_it_serves_a_neutral_icon_that_the_browser_does_not_cache(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "no-store"
    body = b"".join(response.streaming_content)
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO"
    # One flat colour on a transparent ground: no letter, no symbol, nothing that says what for.
    colours = {pixel for pixel in icon.convert("RGBA").get_flattened_data() if pixel[3] == 255}
    assert len(colours) == 1


def test_it_is_absent_from_a_key_service():
    names = [getattr(p, "name", None) for p in build_urlpatterns({"keyservice"})]
    assert "favicon" not in names
