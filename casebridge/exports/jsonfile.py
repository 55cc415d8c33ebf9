"""Cases as one JSON document: `{"format": "pengaduan-cases", "version": 1, "generated_at":
…, "cases": [ … ]}`, each case exactly as `GET /api/v1/cases/<reference>` shows it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

FORMAT = "pengaduan-cases"
VERSION = 1


def chunks(views: Iterable[dict[str, Any]], generated_at: str) -> Iterator[bytes]:
    head = {"format": FORMAT, "version": VERSION, "generated_at": generated_at}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "cases": [').encode()
    separator = "\n"
    for view in views:
        yield (separator + json.dumps(view, ensure_ascii=False)).encode()
        separator = ",\n"
    yield b"\n]}\n"
