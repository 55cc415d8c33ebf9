"""A case's attachment as a download, the same for the org API and the workspace: never
cached, never sniffed into something the browser would run, named by the case reference.
The file is kept sealed (`casebridge.sealed`) and given out opened; one that no key here
opens answers as missing (and is logged), never as an error page."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from flask import Response, abort, current_app, send_file

from casebridge.datakeys import DataKeyError
from casebridge.models import Attachment
from casebridge.sealed import read_file

log = logging.getLogger(__name__)


def attachment_response(row: Attachment, path: Path, reference: str) -> Response:
    keys = current_app.extensions["services"].settings.data_keys
    try:
        content = read_file(path, keys)
    except DataKeyError as exc:
        log.error("attachment %s of %s cannot be opened: %s", row.id, reference, exc)
        abort(404)
    response = send_file(
        io.BytesIO(content),
        mimetype=row.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"{reference}-{row.id}{path.suffix}",
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
