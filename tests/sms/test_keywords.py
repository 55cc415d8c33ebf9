"""The keyword parser, table-driven: aliases, case, one typo on keywords of 5+ letters,
references with or without dash or spaces, and words that must never be read as commands."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import pytest
from rapidfuzz.distance import OSA

from gateway.sms import keywords
from gateway.sms.keywords import CASEWORKER, REPORTER, parse

REF = "48217730"


@dataclass(frozen=True)
class Case:
    text: str
    name: str | None
    caseworker: bool = False
    ref: str | None = None
    pin: str | None = None
    rest: str | None = None
    lang: str | None = "any"
    exact: bool | None = None


CASES = [
    # reporters
    Case("LAPOR gaji belum dibayar", "report", rest="gaji belum dibayar", lang="id", exact=True),
    Case("lapor: gaji belum dibayar", "report", rest="gaji belum dibayar"),
    Case("Aduan paspor ditahan", "report", rest="paspor ditahan"),
    Case("REPORT my salary", "report", rest="my salary", lang="en"),
    Case("LAPR gaji belum dibayar", "report", rest="gaji belum dibayar", exact=False),
    Case("LAPORR gaji", "report", exact=False),
    Case("LPAOR gaji", "report", exact=False),  # two letters swapped
    Case("LPAORR gaji", None),  # two edits
    Case("LAPOR", "report", rest=""),
    Case("STATUS 4821-7730", "status", ref=REF, rest=""),
    Case("status 4821 7730", "status", ref=REF),
    Case("STATUS 48217730 1234", "status", ref=REF, pin="1234"),
    Case("STATSU 4821 7730 1234", "status", ref=REF, pin="1234", exact=False),
    Case("STATUS 4821.7730", "status", ref=REF),
    Case("CEK 4821-7730", "status", ref=REF, lang="id"),
    Case("Status", "status", ref=None),
    Case("INFO", "info"),
    Case("hak", "info", lang="id"),
    Case("BANTUAN", "help", lang="id"),
    Case("help", "help", lang="en"),
    Case("MENU", "help"),
    Case("BAHASA en", "language", rest="en", lang="id"),
    Case("LANG id", "language", rest="id", lang="en"),
    Case("bahasa english", "language", rest="en"),
    Case("STOP", "stop"),
    Case("stop.", "stop"),
    Case("Berhenti", "stop", lang="id"),
    Case("MULAI", "start", lang="id"),
    Case("start", "start", lang="en"),
    # plain messages
    Case("stop kirim uang", None),
    Case("info gaji saya", None),
    Case("Bahaya, saya dikurung", None),
    Case("BAHASA jawa", None),
    Case("Lapar sekali", None),
    Case("Mulia", None),
    Case("Terima kasih", None),
    Case("Saya mau lapor", None),
    Case("", None),
    Case("12345", None),
    # caseworkers
    Case("TERIMA 4821-7730", "accept", caseworker=True, ref=REF, lang="id"),
    Case("accept 4821 7730", "accept", caseworker=True, ref=REF, lang="en"),
    Case("TRIMA 4821-7730", "accept", caseworker=True, ref=REF, exact=False),
    Case(
        "TOLAK 4821-7730 di luar wilayah",
        "decline",
        caseworker=True,
        ref=REF,
        rest="di luar wilayah",
    ),
    Case(
        "UPDATE 48217730 Kami sudah telepon",
        "update",
        caseworker=True,
        ref=REF,
        rest="Kami sudah telepon",
    ),
    Case(
        "#4821-7730 Kami sudah telepon",
        "update",
        caseworker=True,
        ref=REF,
        rest="Kami sudah telepon",
    ),
    Case("# 4821 7730: besok", "update", caseworker=True, ref=REF, rest="besok"),
    Case("INFO 4821-7730", "case_info", caseworker=True, ref=REF),
    Case("KASUS 4821-7730", "case_info", caseworker=True, ref=REF),
    Case("PERLU 4821-7730 Kapan?", "need_info", caseworker=True, ref=REF, rest="Kapan?"),
    Case("NEEDINFO 4821-7730 When?", "need_info", caseworker=True, ref=REF, lang="en"),
    Case("SELESAI 4821-7730 beres", "done", caseworker=True, ref=REF, rest="beres"),
    Case("DONE 4821-7730", "done", caseworker=True, ref=REF, lang="en"),
    Case(
        "RUJUK 4821-7730 LBH-TPPO SETUJU", "refer", caseworker=True, ref=REF, rest="LBH-TPPO SETUJU"
    ),
    Case("TERIMA", "accept", caseworker=True, ref=None),
    Case("Terima kasih", "accept", caseworker=True, ref=None),
    Case("STOP", "stop", caseworker=True),
    Case("INFO", "case_info", caseworker=True, ref=None),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.text!r}{'/cw' if c.caseworker else ''}")
def test_parse(case: Case):
    command = parse(case.text, caseworker=case.caseworker)
    if case.name is None:
        assert command is None
        return
    assert command is not None and command.name == case.name
    assert command.ref == case.ref
    if case.pin is not None:
        assert command.pin == case.pin
    if case.rest is not None:
        assert command.rest == case.rest
    if case.lang != "any":
        assert command.lang == case.lang
    if case.exact is not None:
        assert command.exact is case.exact


@pytest.mark.parametrize(
    "text",
    [
        "TERIMA 4821-7730",
        "TOLAK 4821-7730 alasan",
        "UPDATE 4821-7730 x",
        "#4821-7730 x",
        "KASUS 4821-7730",
    ],
)
def test_a_strangers_caseworker_command_is_recognised_as_one_to_refuse_it(text):
    command = parse(text, caseworker=False)
    assert command is not None and command.audience == CASEWORKER


def test_no_single_typo_is_ambiguous_between_two_commands():
    """Aliases of different commands (of the same audience) are at least 3 edits apart when
    both may match with a typo, so one typo can only ever point to one command."""
    for audience in (REPORTER, CASEWORKER):
        table = keywords.keywords().aliases[audience]
        long = [a for a in table if len(a) >= keywords.TYPO_MIN_LENGTH]
        for a, b in combinations(long, 2):
            if table[a][0] != table[b][0]:
                assert OSA.distance(a, b) >= 3, (audience, a, b)


def test_not_keywords_are_one_typo_from_a_keyword():
    """The list of ordinary words is there because each is one typo from a keyword."""
    aliases = keywords.keywords().aliases[REPORTER]
    for word in keywords.keywords().not_keywords:
        assert any(OSA.distance(word, a) == 1 for a in aliases), word
