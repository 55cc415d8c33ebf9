"""The recordings that say the values put into prompts, for a provider that plays a language
instead of reading it (Africa's Talking has no Indonesian voice): digits (report numbers,
PINs, keys), the labels of the spoken lists, and the status words.

Their files are named by rule, so a new category or status needs one new recording and no
new line of data: `digit_4_id.wav`, `category_unpaid_wages_id.wav`, `country_my_id.wav`,
`status_in_progress_id.wav`. `needed()` lists every recording of a language with the words
it holds: `pengaduan menus check` reports the missing ones, `make_audio` makes them.
"""

from __future__ import annotations

from casebridge import status, texts

from . import lists
from .catalogue import Catalogue, Spoken

DIGITS = "0123456789"
LABEL_PREFIXES = {"categories": "category", "countries": "country"}


def digit_file(digit: str, lang: str) -> str:
    return f"digit_{digit}_{lang}.wav"


def label_file(source: str, code: str, lang: str) -> str:
    return f"{LABEL_PREFIXES[source]}_{code.lower()}_{lang}.wav"


def status_file(code: str, lang: str) -> str:
    return f"status_{code}_{lang}.wav"


def digits(value: str, lang: str, text: str | None = None) -> Spoken:
    """Digits read one by one: `text` (default: the digits) and a recording per digit."""
    return Spoken(text or value, tuple(digit_file(d, lang) for d in value if d.isdigit()))


def option(
    source: str, code: str | None, label: str, lang: str, catalogue: Catalogue, other: str | None
) -> Spoken:
    """A list option's label; the last option, "not in this list" (code None), is the
    `other` prompt and has that prompt's recording."""
    if code is None:
        prompt = catalogue.get(other or "", lang)
        return Spoken(label, prompt.audio if prompt else ())
    return Spoken(label, (label_file(source, code, lang),))


def needed(catalogue: Catalogue, lang: str, values: bool = True) -> dict[str, str]:
    """Every recording `lang` needs -> the words it holds: those its prompts name, and with
    `values` those of the digits, the list labels and the status words."""
    files: dict[str, str] = {}
    for prompt in catalogue.prompts.get(lang, {}).values():
        files.update(zip(prompt.audio, prompt.parts, strict=False))
    if not values:
        return files
    files.update({digit_file(d, lang): d for d in DIGITS})
    for source in lists.SOURCES:
        for code, label in lists.options(source, lang, catalogue):
            files[label_file(source, code or "", lang)] = label
    for code in status.STATUSES:
        try:
            files[status_file(code, lang)] = texts.status_word(code, lang)
        except KeyError:  # `check()` reports the missing word
            continue
    return files


def words(catalogue: Catalogue) -> dict[str, str]:
    """Every recording of every language -> its words: what a `<Play>` says, as text."""
    return {
        name: text for lang in catalogue.languages for name, text in needed(catalogue, lang).items()
    }
