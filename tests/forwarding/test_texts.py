"""The caseworker texts: both languages have every text, in GSM-7, short enough."""

from __future__ import annotations

import pytest

from casebridge import gsm
from casebridge.forwarding import texts

VALUES = dict(
    ref="4821-7730",
    category="Dokumen/paspor ditahan",
    place="Arab Saudi / Kabupaten Lombok Timur",
    org="Posko Pekerja Migran Sumatera dan Lampung",
    source="Posko Pekerja Migran Sumatera dan Lampung",
    hours=144,
)


def keys(node, prefix=""):
    for key, value in node.items():
        if isinstance(value, dict):
            yield from keys(value, f"{prefix}{key}.")
        else:
            yield prefix + key


def test_both_languages_have_the_same_texts():
    assert set(keys(texts.catalogue("id"))) == set(keys(texts.catalogue("en")))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_sms_texts_are_gsm7_and_at_most_two_segments(lang):
    for key in texts.catalogue(lang)["sms"]:
        body = texts.render(f"sms.{key}", lang, **VALUES)
        assert gsm.is_gsm7(body), (lang, key)
        encoding, segments = gsm.segments(body)
        assert encoding == "GSM-7" and segments <= 2, (lang, key, len(body))
