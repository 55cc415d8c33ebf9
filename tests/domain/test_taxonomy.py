"""Categories, countries, genders and relationships: codes, labels and typed-name matching."""

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebridge import taxonomy
from casebridge.gsm import is_gsm7

MAX_LABEL = 30
LABELLED = (
    [(taxonomy.category_label, code) for code in taxonomy.CATEGORIES]
    + [(taxonomy.gender_label, code) for code in taxonomy.GENDERS]
    + [(taxonomy.relationship_label, code) for code in taxonomy.RELATIONSHIPS]
)


def test_categories_most_frequent_first():
    assert taxonomy.CATEGORIES[:6] == (
        "repatriation",
        "unpaid_wages",
        "deportation",
        "failed_departure",
        "death",
        "job_fraud",
    )
    assert taxonomy.CATEGORIES[-1] == "other"
    assert len(set(taxonomy.CATEGORIES)) == 16


def test_sensitive_categories():
    sensitive = taxonomy.SENSITIVE_CATEGORIES
    assert sensitive == {"violence", "trafficking", "detention", "death"}
    assert sensitive <= set(taxonomy.CATEGORIES)


@pytest.mark.parametrize("lang", taxonomy.LANGUAGES)
@pytest.mark.parametrize(("label", "code"), LABELLED)
def test_every_label_is_short_gsm7_text(label, code, lang):
    text = label(code, lang)
    assert text.strip() == text
    assert 0 < len(text) <= MAX_LABEL
    assert is_gsm7(text)


@pytest.mark.parametrize("lang", taxonomy.LANGUAGES)
def test_labels_of_one_kind_are_distinct(lang):
    for codes, label in [
        (taxonomy.CATEGORIES, taxonomy.category_label),
        (taxonomy.GENDERS, taxonomy.gender_label),
        (taxonomy.RELATIONSHIPS, taxonomy.relationship_label),
    ]:
        labels = [label(code, lang) for code in codes]
        assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: taxonomy.category_label("unpaid_wages"), "Gaji tidak dibayar"),
        (lambda: taxonomy.category_label("unpaid_wages", "en"), "Unpaid wages"),
        (lambda: taxonomy.category_label("repatriation", "en"), "Wants to come home"),
        (lambda: taxonomy.category_label("other", "xx"), "Lainnya"),
        (lambda: taxonomy.gender_label("female"), "Perempuan"),
        (lambda: taxonomy.gender_label("unspecified", "en"), "Prefer not to say"),
        (lambda: taxonomy.relationship_label("parent"), "Orang tua"),
        (lambda: taxonomy.relationship_label("sibling", "en"), "Sibling"),
    ],
)
def test_labels(call, expected):
    assert call() == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: taxonomy.category_label("nope"),
        lambda: taxonomy.gender_label("nope"),
        lambda: taxonomy.relationship_label("nope"),
    ],
)
def test_unknown_code_is_a_key_error(call):
    with pytest.raises(KeyError):
        call()


def test_languages():
    assert taxonomy.LANGUAGES == ("id", "en")


@pytest.mark.parametrize(
    ("code", "indonesian", "english"),
    [
        ("MY", "Malaysia", "Malaysia"),
        ("TW", "Taiwan", "Taiwan"),
        ("HK", "Hong Kong", "Hong Kong"),
        ("SA", "Arab Saudi", "Saudi Arabia"),
        ("SG", "Singapura", "Singapore"),
        ("AE", "Uni Emirat Arab", "United Arab Emirates"),
        ("KR", "Korea Selatan", "South Korea"),
        ("BN", "Brunei", "Brunei"),
        ("QA", "Qatar", "Qatar"),
        ("OM", "Oman", "Oman"),
        ("JP", "Jepang", "Japan"),
        ("NL", "Belanda", "Netherlands"),
        ("US", "Amerika Serikat", "United States"),
        ("CI", "Pantai Gading", "Cote d'Ivoire"),
        ("my", "Malaysia", "Malaysia"),
    ],
)
def test_country_names(code, indonesian, english):
    assert taxonomy.country_name(code) == indonesian
    assert taxonomy.country_name(code, "en") == english


def test_destinations_in_order_of_worker_stock():
    destinations = taxonomy.DESTINATIONS
    assert destinations == ("MY", "TW", "HK", "SA", "SG", "AE", "KR", "BN", "QA", "OM", "JP")


@pytest.mark.parametrize("lang", taxonomy.LANGUAGES)
def test_every_country_name_is_gsm7(lang):
    for country in pycountry.countries:
        name = taxonomy.country_name(country.alpha_2, lang)
        assert name and is_gsm7(name), (country.alpha_2, name)


def test_unknown_country_name_is_the_code():
    assert taxonomy.country_name("XX") == "XX"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Malaysia", "MY"),
        ("malaysa", "MY"),
        ("Kerja di Malaysia", "MY"),
        ("Sabah", "MY"),
        ("Arab Saudi", "SA"),
        ("Saudi Arabia", "SA"),
        ("saudi", "SA"),
        ("hongkong", "HK"),
        ("Hong Kong", "HK"),
        ("HK", "HK"),
        ("hk", "HK"),
        ("Korsel", "KR"),
        ("korea", "KR"),
        ("Korea Selatan", "KR"),
        ("taiwn", "TW"),
        ("Singapur", "SG"),
        ("UAE", "AE"),
        ("Dubai", "AE"),
        ("jepang", "JP"),
        ("Japan", "JP"),
        ("MYS", "MY"),
        ("Belanda", "NL"),
        ("Korea Utara", "KP"),
        ("Inggris", "GB"),
        ("cote d'ivoire", "CI"),
    ],
)
def test_find_country(typed, code):
    assert taxonomy.find_country(typed) == code


@pytest.mark.parametrize("typed", ["xyz", "123", "", "   ", "tidak", "majikan", "XX", "ABC"])
def test_find_country_finds_nothing_for_garbage(typed):
    assert taxonomy.find_country(typed) is None


@pytest.mark.parametrize(
    ("code", "valid"),
    [("MY", True), ("my", True), ("ID", True), ("XX", False), ("MYS", False), ("", False)],
)
def test_is_country(code, valid):
    assert taxonomy.is_country(code) is valid


@given(st.text(max_size=100))
def test_find_country_never_raises(text):
    found = taxonomy.find_country(text)
    assert found is None or taxonomy.is_country(found)
