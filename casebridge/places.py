"""Indonesia's provinces and regencies (kabupaten/kota), with tolerant matching of typed names.

The data lives in `casebridge/data/*.csv` (see its NOTICE.md) and is loaded once.
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
from rapidfuzz.distance import OSA

SCORE_CUTOFF = 80.0
SHORT_QUERY = 4
SHORT_CUTOFF = 85.0
WORD_SET_WEIGHT = 0.95
KIND_BONUS = 10.0
MIN_FUZZY_LENGTH = 3

_KIND_PREFIXES = {
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
_PROVINCE_PREFIXES = {"provinsi", "propinsi", "prov", "prop", "province"}
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
class _Data:
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


def _split_kind(folded: str) -> tuple[str | None, str]:
    """("kota", "malang") for "kota malang"; a lone kind word is not stripped."""
    words = folded.split()
    kind = None
    if len(words) > 1 and words[0] in _KIND_PREFIXES:
        kind = _KIND_PREFIXES[words.pop(0)]
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
def _data() -> _Data:
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
    return _Data(
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
    return list(_data().provinces)


def province(code: str) -> Province | None:
    """The province with this ISO 3166-2 code ("ID-JI"), or None."""
    return _data().province_by_code.get(code.strip().upper())


def regencies(province_code: str | None = None) -> list[Regency]:
    """All regencies and cities, or those of one province (ISO code)."""
    regs = _data().regencies
    if province_code is None:
        return list(regs)
    code = province_code.strip().upper()
    return [r for r in regs if r.province_code == code]


def regency(code: str) -> Regency | None:
    """The regency or city with this BPS code ("3510"), or None."""
    return _data().regency_by_code.get(code.strip())


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
        return _data().province_by_bps.get(raw)
    m = _ISO_CODE.fullmatch(raw)
    return province(f"ID-{m.group(1)}") if m else None


def match_province(text: str, limit: int = 5) -> list[Province]:
    """Provinces whose name, English name, short form or code is close to `text`, best first."""
    data = _data()
    by_code = _province_by_code_text(text)
    if by_code:
        return [by_code]
    words = fold(text).split()
    if len(words) > 1 and words[0] in _PROVINCE_PREFIXES:
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
    data = _data()
    code = province_code.strip().upper() if province_code else None
    index = data.regency_index.get(code)
    if index is None:
        return []
    raw = text.strip()
    if raw.isdigit():
        found = data.regency_by_code.get(raw)
        return [found] if found and (code is None or found.province_code == code) else []
    folded = fold(raw)
    kind, query = _split_kind(folded)
    if not query or query.isdigit() or query in _KIND_PREFIXES:
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
    data = _data()
    raw = text.strip()
    if raw.isdigit():
        found = data.regency_by_code.get(raw)
        if found is None:
            return None, "", frozenset()
        i = data.regencies.index(found)
        return found.kind, fold(found.short).replace(" ", ""), frozenset({i})
    kind, name = _split_kind(fold(raw))
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
    if key_a in _KIND_PREFIXES or key_b in _KIND_PREFIXES:
        return False
    return key_a == key_b or bool(ids_a & ids_b)


TYPO_MIN_LENGTH = 5
"""Names at least this long (without spaces) may be typed with one typo."""
_SEPARATORS = re.compile(r"[,;/\n]+")
_FILLER = {"dari", "asal", "di", "in", "from", "indonesia"}
_EXACT, _CONFLICT_EXACT, _TYPO, _CONFLICT_TYPO, _FUZZY, _PROVINCE_ONLY = 6, 5, 4, 3, 2, 1
_AS_CONFLICT = {_EXACT: _CONFLICT_EXACT, _TYPO: _CONFLICT_TYPO}


@dataclass(frozen=True, slots=True)
class Origin:
    """What a typed home place names.

    `regency` with its province; or only `named`, a province; or, when `conflict`, a regency
    that is not in `named`, the province typed with it (or already given): ask again.
    """

    regency: Regency | None = None
    named: Province | None = None
    alternatives: tuple[Regency, ...] = ()
    """Every regency that fits equally well, `regency` first ("Malang": Kabupaten and Kota)."""

    @property
    def conflict(self) -> bool:
        return bool(self.regency and self.named and self.regency.province_code != self.named.code)

    @property
    def province(self) -> Province | None:
        """The province the answer settles on (None when it is a conflict)."""
        if self.conflict:
            return None
        return province(self.regency.province_code) if self.regency else self.named

    @property
    def state(self) -> str:
        """ "conflict", "regency", "province" or "unknown"."""
        if self.conflict:
            return "conflict"
        return "regency" if self.regency else "province" if self.named else "unknown"


def _squeeze(folded: str) -> str:
    return folded.replace(" ", "")


def _trim(folded: str) -> str:
    words = folded.split()
    while words and words[0] in _FILLER:
        words.pop(0)
    while words and words[-1] in _FILLER:
        words.pop()
    return " ".join(words)


def _one_typo(query: str, keys: Sequence[str]) -> list[int]:
    """Indexes of the keys exactly one typo (OSA edit) away from `query`."""
    if len(query) < TYPO_MIN_LENGTH:
        return []
    found = process.extract(query, keys, scorer=OSA.distance, score_cutoff=1, limit=None)
    return [i for key, _, i in found if len(key) >= TYPO_MIN_LENGTH]


@cache
def _province_keys() -> tuple[list[str], list[int]]:
    index = _data().province_index
    return [_squeeze(k) for k in index.keys], index.owners


def _named_province(folded: str) -> tuple[Province | None, bool]:
    """The province a part of an answer names exactly (True) or with one typo (False)."""
    words = folded.split()
    for start in (0, 1):
        if start and not (len(words) > 1 and words[0] in _PROVINCE_PREFIXES | _FILLER):
            break
        query = _squeeze(" ".join(words[start:]))
        keys, owners = _province_keys()
        exact = {owners[i] for i, key in enumerate(keys) if key == query}
        typo = {owners[i] for i in _one_typo(query, keys)}
        for hits, is_exact in ((exact, True), (typo, False)):
            if len(hits) == 1:
                return _data().provinces[hits.pop()], is_exact
    return None, False


@cache
def _regency_keys() -> tuple[list[str], list[int]]:
    pairs = [(key, i) for key, ids in _data().regency_exact.items() for i in sorted(ids)]
    return [k for k, _ in pairs], [i for _, i in pairs]


def _regency_hits(folded: str) -> tuple[list[Regency], list[Regency]]:
    """Regencies a part names exactly, and those one typo away; a typed kind goes first."""
    data = _data()
    kind, name = _split_kind(folded)
    query = _squeeze(name)
    if not query or query.isdigit() or query in _KIND_PREFIXES:
        return [], []
    keys, owners = _regency_keys()
    exact = sorted(data.regency_exact.get(query, ()))
    typo = sorted({owners[i] for i in _one_typo(query, keys)} - set(exact))

    def kind_first(ids: list[int]) -> list[Regency]:
        return sorted((data.regencies[i] for i in ids), key=lambda r: r.kind != (kind or r.kind))

    return kind_first(exact), kind_first(typo)


def _reading(part: str, named: Province | None) -> tuple[int, Origin] | None:
    """How well a part names a regency (in `named`, when a province is known), and what."""
    if not part:
        return (_PROVINCE_ONLY, Origin(named=named)) if named else None
    exact, typo = _regency_hits(part)
    levels = ((exact, _EXACT, _CONFLICT_EXACT), (typo, _TYPO, _CONFLICT_TYPO))
    for hits, inside, outside in levels:
        if named is None and hits:
            return inside, Origin(hits[0], None, tuple(hits))
        fit = [r for r in hits if named and r.province_code == named.code]
        if fit:
            return inside, Origin(fit[0], named, tuple(fit))
        if hits:
            return outside, Origin(hits[0], named)
    if named is None:
        return None
    fuzzy = match_regency(part, named.code)
    if fuzzy:
        return _FUZZY, Origin(fuzzy[0], named, tuple(fuzzy))
    return _PROVINCE_ONLY, Origin(named=named)


def _splits(text: str) -> Iterable[tuple[str, str | None, bool]]:
    """(regency part, province part or None, whether the two were written apart) for every
    way to read the answer as a regency and its province."""
    parts = [p for p in (_trim(fold(p)) for p in _SEPARATORS.split(text)) if p]
    for part in parts:
        yield part, None, False
        words = part.split()
        for k in range(1, len(words)):
            head, tail = " ".join(words[:k]), " ".join(words[k:])
            yield _trim(head), tail, False
            yield _trim(tail), head, False
    for i, a in enumerate(parts):
        for j, b in enumerate(parts):
            if i != j:
                yield a, b, True


def _against(found: tuple[int, Origin], given: Province) -> tuple[int, Origin]:
    """A reading whose typed province is not the one already given: a conflict with it."""
    level, origin = found
    if origin.regency is None:
        return level, Origin(named=given)
    if origin.conflict:
        return level, origin
    return _AS_CONFLICT.get(level, _CONFLICT_TYPO), Origin(origin.regency, given)


def parse_origin(text: str, within: str | None = None) -> Origin:
    """Read an answer to "which regency or city is the worker from?" on any channel.

    A regency may come with its province, in either order, with or without a comma, with
    "Kab."/"Kota" and the province's short form ("Banyuwangi, Jatim"), one typo allowed.
    A regency not in the province named with it (or in `within`, a province already given)
    is a conflict. Anything else is matched tolerantly as a regency or a province alone.
    """
    given = province(within) if within else None
    whole = _trim(fold(text))
    if not whole:
        return Origin(named=given)
    if text.strip().isdigit():
        found = regency(text) if len(text.strip()) > 2 else None
        if found:
            return Origin(found, given, (found,))
        return Origin(named=given or _data().province_by_bps.get(text.strip()))
    whole_province, _ = _named_province(whole)
    if given is None and whole_province and not _regency_hits(whole)[0]:
        return Origin(named=whole_province)
    best: tuple[bool, int, bool] = (False, 0, False)
    chosen: Origin | None = None
    for part, said, apart in _splits(text):
        named, exact = _named_province(said) if said else (given, True)
        if said is not None and named is None:
            continue
        found = _reading(part, named)
        if found and given and named != given:
            found = _against(found, given)
        # A province written apart ("Banyuwangi, Jawa Tengah") is read with the regency.
        rank = (apart and named is not None, found[0], exact) if found else best
        if rank > best:
            best, chosen = rank, found[1]
    if chosen is not None:
        return chosen
    if given:
        return Origin(named=given)
    return _loose(text)


def _loose(text: str) -> Origin:
    """A single name matched tolerantly: a regency, unless the text is closer to a province."""
    prov = match_province(text, limit=1)
    regs = match_regency(text, limit=1)
    if regs and (not prov or fold(regs[0].short) == _split_kind(fold(text))[1]):
        return Origin(regs[0], None, tuple(regs))
    return Origin(named=prov[0]) if prov else Origin()
