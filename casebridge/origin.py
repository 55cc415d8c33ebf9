"""Reading a typed home place ("Banyuwangi, Jatim", "kab malang", "Jawa Timur") as a regency
and its province, or a province alone, or a conflict between the two (`parse_origin`), on any
channel. The names and their tolerant matching are `casebridge.places`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .places import (
    KIND_PREFIXES,
    PROVINCE_PREFIXES,
    Province,
    Regency,
    fold,
    match_province,
    match_regency,
    province,
    regency,
    split_kind,
    tables,
)

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
    index = tables().province_index
    return [_squeeze(k) for k in index.keys], index.owners


def _named_province(folded: str) -> tuple[Province | None, bool]:
    """The province a part of an answer names exactly (True) or with one typo (False)."""
    words = folded.split()
    for start in (0, 1):
        if start and not (len(words) > 1 and words[0] in PROVINCE_PREFIXES | _FILLER):
            break
        query = _squeeze(" ".join(words[start:]))
        keys, owners = _province_keys()
        exact = {owners[i] for i, key in enumerate(keys) if key == query}
        typo = {owners[i] for i in _one_typo(query, keys)}
        for hits, is_exact in ((exact, True), (typo, False)):
            if len(hits) == 1:
                return tables().provinces[hits.pop()], is_exact
    return None, False


@cache
def _regency_keys() -> tuple[list[str], list[int]]:
    pairs = [(key, i) for key, ids in tables().regency_exact.items() for i in sorted(ids)]
    return [k for k, _ in pairs], [i for _, i in pairs]


def _regency_hits(folded: str) -> tuple[list[Regency], list[Regency]]:
    """Regencies a part names exactly, and those one typo away; a typed kind goes first."""
    data = tables()
    kind, name = split_kind(folded)
    query = _squeeze(name)
    if not query or query.isdigit() or query in KIND_PREFIXES:
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
        return Origin(named=given or tables().province_by_bps.get(text.strip()))
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
    if regs and (not prov or fold(regs[0].short) == split_kind(fold(text))[1]):
        return Origin(regs[0], None, tuple(regs))
    return Origin(named=prov[0]) if prov else Origin()
