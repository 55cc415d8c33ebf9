"""`GET /voice/audio/<file>`: the prompt recordings of `ivr_scripts/audio/`, for providers
that play them (Africa's Talking reads no Indonesian). Only plain file names of that folder
are served; anything else is a 404."""

from __future__ import annotations

import re

from flask import Blueprint, abort, send_from_directory

from ivr_scripts.catalogue import AUDIO_DIR

from .links import AUDIO_PATH

FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}\.(wav|mp3)$")
MAX_AGE = 3600

blueprint = Blueprint("voice_audio", __name__, url_prefix=AUDIO_PATH)


@blueprint.get("/<path:name>")
def audio(name: str):
    if not FILE_NAME.match(name) or ".." in name:
        abort(404)
    return send_from_directory(AUDIO_DIR, name, max_age=MAX_AGE)
