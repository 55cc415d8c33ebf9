"""`/voice/audio/<file>` serves the prompt recordings and nothing else."""

from __future__ import annotations

import pytest

from ivr_scripts.catalogue import AUDIO_DIR, shipped
from ivr_scripts.recordings import needed
from ivr_scripts.render_at import SPOKEN_LANGUAGES


def test_every_recording_a_call_plays_is_served(client):
    cat = shipped()
    names = {
        name
        for lang in cat.languages
        for name in needed(cat, lang, values=lang not in SPOKEN_LANGUAGES)
    }
    assert {"welcome_id.wav", "digit_0_id.wav", "country_my_id.wav"} <= names
    for name in sorted(names):
        res = client.get(f"/voice/audio/{name}")
        assert res.status_code == 200, name
        assert res.mimetype in ("audio/wav", "audio/x-wav")
        assert res.data == (AUDIO_DIR / name).read_bytes()
        assert (
            res.headers["Cache-Control"].startswith("public")
            or "max-age" in res.headers["Cache-Control"]
        )


@pytest.mark.parametrize(
    "path",
    [
        "/voice/audio/README.md",
        "/voice/audio/missing_id.wav",
        "/voice/audio/../engine.py",
        "/voice/audio/..%2Fengine.py",
        "/voice/audio/%2e%2e/catalogue.py",
        "/voice/audio/sub/welcome_id.wav",
        "/voice/audio/.hidden.wav",
        "/voice/audio/welcome_id.wav%00.py",
    ],
)
def test_anything_else_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_it_needs_no_token_or_signature(client, services):
    assert services.settings.at_webhook_token and services.settings.twilio_auth_token
    assert client.get("/voice/audio/welcome_id.wav").status_code == 200
