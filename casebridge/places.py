"""Indonesia's provinces and regencies (kabupaten/kota), with tolerant matching of typed names.

The data lives in `casebridge/data/*.csv` (see its NOTICE.md) and is loaded once. Reading a
whole typed answer (a regency with its province) is `casebridge.origin`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from rapidfuzz import fuzz, process

SCORE_CUTOFF = 80.0
SHORT_QUERY = 4
SHORT_CUTOFF = 85.0
WORD_SET_WEIGHT = 0.95
KIND_BONUS = 10.0
MIN_FUZZY_LENGTH = 3

KIND_PREFIXES = {
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kabupatem": "kabupaten",
    "regency": "kabupaten",
    "kota": "kota",
    "kodya": "kota",
    "kotamadya": "kota",
    "kotamadia": "kota",
    "city": "kota",
}
_KIND_SUFFIXES = {"regency": "kabupaten", "city": "kota"}
PROVINCE_PREFIXES = {"provinsi", "propinsi", "prov", "prop", "province"}
_ISO_CODE = re.compile(r"ID[-_ ]?([A-Z]{2})")


@dataclass(frozen=True, slots=True)
class Province:
    """A province: ISO 3166-2 code ("ID-JI") and display name ("Jawa Timur")."""

    code: str
    name: str
    bps_code: str = field(default="", compare=False)
    name_en: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Regency:
    """A regency or city: BPS code, province ISO code, "Kabupaten Banyuwangi", "Banyuwangi"."""

    code: str
    province_code: str
    name: str
    short: str

    @property
    def kind(self) -> str:
        """ "kota" for a city, "kabupaten" for a regency."""
        return "kota" if self.name.startswith("Kota ") else "kabupaten"


@dataclass(frozen=True, slots=True)
class _Index:
    keys: list[str]
    owners: list[int]


@dataclass(frozen=True, slots=True)
class Tables:
    provinces: tuple[Province, ...]
    province_by_code: dict[str, Province]
    province_by_bps: dict[str, Province]
    province_index: _Index
    regencies: tuple[Regency, ...]
    regency_by_code: dict[str, Regency]
    regency_index: dict[str | None, _Index]
    regency_exact: dict[str, frozenset[int]]


def fold(text: str) -> str:
    """Typed text folded for matching: lower case, no accents, punctuation as single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def split_kind(folded: str) -> tuple[str | None, str]:
    """("kota", "malang") for "kota malang"; a lone kind word is not stripped."""
    words = folded.split()
    kind = None
    if len(words) > 1 and words[0] in KIND_PREFIXES:
        kind = KIND_PREFIXES[words.pop(0)]
    if len(words) > 1 and words[-1] in _KIND_SUFFIXES:
        kind = _KIND_SUFFIXES[words.pop()]
    return kind, " ".join(words)


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (files(__package__) / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _aliases(cell: str) -> list[str]:
    return [a for a in cell.split("|") if a]


def _index(entries: Iterable[tuple[int, Iterable[str]]]) -> _Index:
    keys: list[str] = []
    owners: list[int] = []
    for owner, names in entries:
        for key in dict.fromkeys(fold(n) for n in names):
            if key:
                keys.append(key)
                owners.append(owner)
    return _Index(keys, owners)


@cache
def tables() -> Tables:
    prov_rows = _read_csv("provinces.csv")
    provs = tuple(
        Province(r["iso_code"], r["display_name"], r["bps_code"], r["name_en"]) for r in prov_rows
    )
    province_index = _index(
        (i, [r["display_name"], r["name_en"], *_aliases(r["aliases"])])
        for i, r in enumerate(prov_rows)
    )
    reg_rows = _read_csv("regencies.csv")
    regs: list[Regency] = []
    names: list[list[str]] = []
    for r in reg_rows:
        short = r["display_name"].split(" ", 1)[1]
        regs.append(Regency(r["bps_code"], r["province_iso_code"], r["display_name"], short))
        names.append([short, *_aliases(r["aliases"])])
    regency_index: dict[str | None, _Index] = {None: _index(enumerate(names))}
    for p in provs:
        regency_index[p.code] = _index(
            (i, n) for i, n in enumerate(names) if regs[i].province_code == p.code
        )
    exact: dict[str, set[int]] = {}
    for i, ns in enumerate(names):
        for n in ns:
            exact.setdefault(fold(n).replace(" ", ""), set()).add(i)
    return Tables(
        provinces=provs,
        province_by_code={p.code: p for p in provs},
        province_by_bps={p.bps_code: p for p in provs},
        province_index=province_index,
        regencies=tuple(regs),
        regency_by_code={r.code: r for r in regs},
        regency_index=regency_index,
        regency_exact={k: frozenset(v) for k, v in exact.items()},
    )


def provinces() -> list[Province]:
    """All 38 provinces, in BPS order."""
    return list(tables().provinces)


def province(code: str) -> Province | None:
    """The province with this ISO 3166-2 code ("ID-JI"), or None."""
    return tables().province_by_code.get(code.strip().upper())


def regencies(province_code: str | None = None) -> list[Regency]:
    """All regencies and cities, or those of one province (ISO code)."""
    regs = tables().regencies
    if province_code is None:
        return list(regs)
    code = province_code.strip().upper()
    return [r for r in regs if r.province_code == code]


def regency(code: str) -> Regency | None:
    """The regency or city with this BPS code ("3510"), or None."""
    return tables().regency_by_code.get(code.strip())


def _scores(query: str, index: _Index) -> dict[int, float]:
    """Best score per owner of the keys reasonably close to the query.

    A key scores its plain similarity (typos) or, slightly less, its word-set similarity
    (missing or extra words: "lombok" for "lombok timur"). Short queries must match closely.
    """
    best: dict[int, float] = {}
    if len(query.replace(" ", "")) < MIN_FUZZY_LENGTH:
        for i, key in enumerate(index.keys):
            if key == query:
                best[index.owners[i]] = 100.0
        return best
    cutoff = SCORE_CUTOFF if len(query) > SHORT_QUERY else SHORT_CUTOFF
    plain = process.extract(query, index.keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    words = process.extract(
        query,
        index.keys,
        scorer=fuzz.token_set_ratio,
        score_cutoff=cutoff / WORD_SET_WEIGHT,
        limit=None,
    )
    found = [*plain, *((k, s * WORD_SET_WEIGHT, i) for k, s, i in words)]
    for _, score, i in found:
        owner = index.owners[i]
        best[owner] = max(score, best.get(owner, 0.0))
    return best


def _ranked(scores: dict[int, float], items: Sequence, limit: int) -> list:
    order = sorted(scores, key=lambda i: (-scores[i], i))
    return [items[i] for i in order[: max(limit, 0)]]


def _province_by_code_text(text: str) -> Province | None:
    raw = text.strip().upper()
    if raw.isdigit():
        return tables().province_by_bps.get(raw)
    m = _ISO_CODE.fullmatch(raw)
    return province(f"ID-{m.group(1)}") if m else None


def match_province(text: str, limit: int = 5) -> list[Province]:
    """Provinces whose name, English name, short form or code is close to `text`, best first."""
    data = tables()
    by_code = _province_by_code_text(text)
    if by_code:
        return [by_code]
    words = fold(text).split()
    if len(words) > 1 and words[0] in PROVINCE_PREFIXES:
        words = words[1:]
    query = " ".join(words)
    if not query or query.isdigit():
        return []
    return _ranked(_scores(query, data.province_index), data.provinces, limit)


def match_regency(text: str, province_code: str | None = None, limit: int = 5) -> list[Regency]:
    """Regencies/cities close to `text` (optionally within one province), best first.

    "Kab."/"Kabupaten" or "Kota"/"Kodya" in the text puts that kind first; a BPS code matches
    its regency.
    """
    data = tables()
    code = province_code.strip().upper() if province_code else None
    index = data.regency_index.get(code)
    if index is None:
        return []
    raw = text.strip()
    if raw.isdigit():
        found = data.regency_by_code.get(raw)
        return [found] if found and (code is None or found.province_code == code) else []
    folded = fold(raw)
    kind, query = split_kind(folded)
    if not query or query.isdigit() or query in KIND_PREFIXES:
        return []
    scores = _scores(query, index)
    if kind:
        for i in scores:
            if data.regencies[i].kind == kind:
                scores[i] += KIND_BONUS
        for i in data.regency_exact.get(folded.replace(" ", ""), ()):
            if code is None or data.regencies[i].province_code == code:
                scores[i] = max(100.0, scores.get(i, 0.0))
    return _ranked(scores, data.regencies, limit)


def _exact_regencies(text: str) -> tuple[str | None, str, frozenset[int]]:
    data = tables()
    raw = text.strip()
    if raw.isdigit():
        found = data.regency_by_code.get(raw)
        if found is None:
            return None, "", frozenset()
        i = data.regencies.index(found)
        return found.kind, fold(found.short).replace(" ", ""), frozenset({i})
    kind, name = split_kind(fold(raw))
    key = name.replace(" ", "")
    ids = data.regency_exact.get(key, frozenset())
    if kind:
        ids = frozenset(i for i in ids if data.regencies[i].kind == kind)
    return kind, key, ids


def same_regency(name_a: str, name_b: str) -> bool:
    """Whether two typed names (or BPS codes) mean the same regency or city.

    "Kab."/"Kota" prefixes, case and spacing are ignored ("Banyuwangi" is "Kabupaten
    Banyuwangi"), former names and aliases count ("Toba Samosir" is "Kabupaten Toba"), but
    "Kota Malang" is not "Kab. Malang".
    """
    kind_a, key_a, ids_a = _exact_regencies(name_a)
    kind_b, key_b, ids_b = _exact_regencies(name_b)
    if not key_a or not key_b or (kind_a and kind_b and kind_a != kind_b):
        return False
    if key_a in KIND_PREFIXES or key_b in KIND_PREFIXES:
        return False
    return key_a == key_b or bool(ids_a & ids_b)
