"""Cases as XML in the namespace of `cases.xsd`, written incrementally with lxml; every case
element is validated against the schema before it is written."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

from .source import CASE_FIELDS

NS = "urn:pengaduan-gateway:cases:1"
VERSION = "1"
PERSON_FIELDS = {
    "reporter": ("phone", "name", "relationship", "language", "sms_safe", "opted_out"),
    "worker": ("name", "gender", "phone", "country", "province", "regency"),
}
LISTS = {
    "parties": ("party", ("role", "name", "contact", "cooperative", "note", "added_at")),
    "referrals": (
        "referral",
        ("from", "to", "reason", "consent", "state", "at", "decided_at"),
    ),
    "attachments": (
        "attachment",
        ("id", "kind", "content_type", "size", "sha256", "received_at", "channel"),
    ),
    "timeline": ("event", ("at", "kind", "actor", "note", "from_status", "to_status")),
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@cache
def schema() -> etree.XMLSchema:
    """The published schema (`casebridge/exports/cases.xsd`)."""
    return etree.XMLSchema(etree.fromstring((files(__package__) / "cases.xsd").read_bytes()))


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fields(parent: etree._Element, data: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        value = data.get(name)
        if value is not None:
            etree.SubElement(parent, _q(name)).text = _text(value)


def element(view: dict[str, Any]) -> etree._Element:
    """One `<case>` element of a case view."""
    case = etree.Element(_q("case"), nsmap={None: NS}, reference=view["reference"])
    _fields(case, view, CASE_FIELDS)
    for person, names in PERSON_FIELDS.items():
        _fields(etree.SubElement(case, _q(person)), view[person], names)
    for container, (item, names) in LISTS.items():
        if container not in view:  # a view from before attachments (optional in the schema)
            continue
        holder = etree.SubElement(case, _q(container))
        for entry in view[container]:
            _fields(etree.SubElement(holder, _q(item)), entry, names)
    return case


class _Sink:
    """A file-like object that lxml writes into and we drain piece by piece."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def drain(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def chunks(views: Iterable[dict[str, Any]], generated_at: str) -> Iterator[bytes]:
    """The XML document, one case at a time; raises DocumentInvalid if a case breaks the
    schema (nothing invalid is ever written)."""
    sink = _Sink()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_q("cases"), nsmap={None: NS}, version=VERSION, generated_at=generated_at):
            xf.write("\n")
            for view in views:
                case = element(view)
                schema().assertValid(case)
                xf.write(case, pretty_print=True)
                xf.flush()
                yield sink.drain()
    yield sink.drain() + b"\n"
