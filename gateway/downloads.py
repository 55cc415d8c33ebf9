"""A case's attachment as a download, the same for the org API and the workspace: never
cached, never sniffed into something the browser would run, named by the case reference."""

from __future__ import annotations

from pathlib import Path

from flask import Response, send_file

from casebridge.models import Attachment


def attachment_response(row: Attachment, path: Path, reference: str) -> Response:
    response = send_file(
        path,
        mimetype=row.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"{reference}-{row.id}{path.suffix}",
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
