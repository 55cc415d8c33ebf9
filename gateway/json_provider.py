"""Flask's JSON, with a body nested too deep for the parser refused like any other bad JSON."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class DepthSafeJSON(DefaultJSONProvider):
    """`request.get_json` treats a ValueError as a bad body (400, or None when silent); the
    RecursionError of a body nested ~1,000 deep becomes one instead of a 500."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None
