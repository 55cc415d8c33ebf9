"""`/voice/audio/<file>` serves the prompt recordings and nothing else."""

from __future__ import annotations

import pytest

from ivr_scripts.catalogue import AUDIO_DIR, shipped


def test_every_recording_a_prompt_names_is_served(client):
    names = {p.audio for table in shipped().prompts.values() for p in table.values() if p.audio}
    assert names
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
