"""API errors as JSON: `{"error": code, "message": text, "fields": {...}}`. Raising ApiError
inside a view rolls its transaction back, so nothing is half-written."""

from __future__ import annotations

from flask import jsonify


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.error, self.message, self.fields = status, error, message, fields

    def response(self):
        body = {"error": self.error, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return jsonify(body), self.status


def bad_request(message: str, fields: dict | None = None) -> ApiError:
    return ApiError(400, "invalid", message, fields)


def not_found() -> ApiError:
    """The one answer for a case that does not exist and a case the caller may not see."""
    return ApiError(404, "not_found", "no such case")


def register(bp) -> None:
    bp.register_error_handler(ApiError, lambda exc: exc.response())
