"""Provinces and regencies: the corrected reference data and tolerant matching."""

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebridge import places
from casebridge.places import Province, Regency

NEW_PAPUA = {
    "ID-PS": {"Merauke", "Boven Digoel", "Mappi", "Asmat"},
    "ID-PT": {
        "Nabire",
        "Puncak Jaya",
        "Paniai",
        "Mimika",
        "Puncak",
        "Dogiyai",
        "Intan Jaya",
        "Deiyai",
    },
    "ID-PE": {
        "Jayawijaya",
        "Pegunungan Bintang",
        "Yahukimo",
        "Tolikara",
        "Mamberamo Tengah",
        "Yalimo",
        "Lanny Jaya",
        "Nduga",
    },
    "ID-PD": {"Sorong", "Raja Ampat", "Sorong Selatan", "Maybrat", "Tambrauw"},
}


def test_there_are_38_provinces_all_known_to_iso():
    provinces = places.provinces()
    assert len(provinces) == 38
    iso = {s.code for s in pycountry.subdivisions.get(country_code="ID")}
    assert {p.code for p in provinces} <= iso


def test_there_are_514_regencies_each_in_a_known_province():
    regencies = places.regencies()
    assert len(regencies) == 514
    assert len({r.code for r in regencies}) == 514
    codes = {p.code for p in places.provinces()}
    assert {r.province_code for r in regencies} == codes


@pytest.mark.parametrize("province_code", sorted(NEW_PAPUA))
def test_new_papua_provinces_hold_their_regencies(province_code):
    assert {r.short for r in places.regencies(province_code)} == NEW_PAPUA[province_code]


def test_kota_sorong_is_in_papua_barat_daya():
    assert [r.name for r in places.regencies("ID-PD") if r.kind == "kota"] == ["Kota Sorong"]


def test_old_papua_keeps_only_its_own_regencies():
    moved = set().union(*NEW_PAPUA.values())
    assert not {r.short for r in places.regencies("ID-PA")} & moved
    assert "Jayapura" in {r.short for r in places.regencies("ID-PA")}


@pytest.mark.parametrize(
    ("code", "name", "short", "province_code"),
    [
        ("3510", "Kabupaten Banyuwangi", "Banyuwangi", "ID-JI"),
        ("3578", "Kota Surabaya", "Surabaya", "ID-JI"),
        ("7605", "Kabupaten Pasangkayu", "Pasangkayu", "ID-SR"),
        ("1206", "Kabupaten Toba", "Toba", "ID-SU"),
        ("2171", "Kota Batam", "Batam", "ID-KR"),
        ("9401", "Kabupaten Merauke", "Merauke", "ID-PS"),
    ],
)
def test_regency_by_code_has_a_display_name(code, name, short, province_code):
    assert places.regency(code) == Regency(code, province_code, name, short)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("ID-JI", "Jawa Timur"),
        ("ID-JK", "DKI Jakarta"),
        ("ID-YO", "DI Yogyakarta"),
        ("ID-NB", "Nusa Tenggara Barat"),
        ("ID-PS", "Papua Selatan"),
        ("id-ji", "Jawa Timur"),
    ],
)
def test_province_by_code_has_a_display_name(code, name):
    assert places.province(code) == Province(code.upper(), name)


@pytest.mark.parametrize("code", ["ID-XX", "JI", "", "35"])
def test_unknown_province_code_is_none(code):
    assert places.province(code) is None


def test_unknown_regency_code_is_none():
    assert places.regency("9999") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("banyuwangi", "Kabupaten Banyuwangi"),
        ("banyuwangu", "Kabupaten Banyuwangi"),
        ("  BANYUWANGI  ", "Kabupaten Banyuwangi"),
        ("Kab. Banyuwangi", "Kabupaten Banyuwangi"),
        ("Banyuwangi, Jawa Timur", "Kabupaten Banyuwangi"),
        ("Kab. Malang", "Kabupaten Malang"),
        ("kab malang", "Kabupaten Malang"),
        ("Kabupaten Malang", "Kabupaten Malang"),
        ("Kota Malang", "Kota Malang"),
        ("KOTA   malang", "Kota Malang"),
        ("Kodya Malang", "Kota Malang"),
        ("Malang City", "Kota Malang"),
        ("Kota Batu", "Kota Batu"),
        ("surabya", "Kota Surabaya"),
        ("Pnorogo", "Kabupaten Ponorogo"),
        ("tulung agung", "Kabupaten Tulungagung"),
        ("lombok tmur", "Kabupaten Lombok Timur"),
        ("Mamuju Utara", "Kabupaten Pasangkayu"),
        ("Toba Samosir", "Kabupaten Toba"),
        ("solo", "Kota Surakarta"),
        ("Sawah Lunto", "Kota Sawahlunto"),
        ("Kota Baru", "Kabupaten Kotabaru"),
        ("3510", "Kabupaten Banyuwangi"),
    ],
)
def test_match_regency_best_first(typed, expected):
    assert places.match_regency(typed)[0].name == expected


@pytest.mark.parametrize(
    "typed",
    ["xyz", "123", "", "   ", "ya", "tidak", "agen", "majikan", "kota", "Kabupaten", "9999"],
)
def test_match_regency_finds_nothing_for_garbage(typed):
    assert places.match_regency(typed) == []


def test_match_regency_offers_all_candidates_of_an_ambiguous_name():
    names = [r.name for r in places.match_regency("lombok")]
    assert sorted(names) == [
        "Kabupaten Lombok Barat",
        "Kabupaten Lombok Tengah",
        "Kabupaten Lombok Timur",
        "Kabupaten Lombok Utara",
    ]


def test_match_regency_within_a_province():
    assert [r.name for r in places.match_regency("malang", "ID-JI", limit=2)] == [
        "Kabupaten Malang",
        "Kota Malang",
    ]
    assert places.match_regency("banyuwangi", "ID-JT") == []
    assert places.match_regency("3510", "ID-JT") == []
    assert places.match_regency("banyuwangi", "ID-XX") == []


def test_match_regency_respects_the_limit():
    assert len(places.match_regency("jakarta", limit=2)) == 2
    assert places.match_regency("jakarta", limit=0) == []


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Jawa Timur", "ID-JI"),
        ("jawa timr", "ID-JI"),
        ("Provinsi Jawa Timur", "ID-JI"),
        ("East Java", "ID-JI"),
        ("Jatim", "ID-JI"),
        ("jateng", "ID-JT"),
        ("Jabar", "ID-JB"),
        ("NTB", "ID-NB"),
        ("NTT", "ID-NT"),
        ("DKI", "ID-JK"),
        ("jakarta", "ID-JK"),
        ("Jogja", "ID-YO"),
        ("Yogya", "ID-YO"),
        ("ID-JI", "ID-JI"),
        ("id-ji", "ID-JI"),
        ("35", "ID-JI"),
        ("Papua Selatan", "ID-PS"),
        ("Highland Papua", "ID-PE"),
        ("sumatra utara", "ID-SU"),
    ],
)
def test_match_province_best_first(typed, code):
    assert places.match_province(typed)[0].code == code


@pytest.mark.parametrize("typed", ["xyz", "123", "", "halo", "malaysia", "ID-XX", "99"])
def test_match_province_finds_nothing_for_garbage(typed):
    assert places.match_province(typed) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Banyuwangi", "Kabupaten Banyuwangi", True),
        ("KAB. BANYUWANGI", "banyuwangi", True),
        ("Kota Malang", "Kota  malang", True),
        ("Malang", "Kota Malang", True),
        ("Sawah Lunto", "Kota Sawahlunto", True),
        ("Toba Samosir", "Kabupaten Toba", True),
        ("3510", "Banyuwangi", True),
        ("Kota Malang", "Kab. Malang", False),
        ("Banyuwangi", "Jember", False),
        ("Solok", "Solo", False),
        ("", "", False),
        ("Kota", "Kota", False),
    ],
)
def test_same_regency(a, b, same):
    assert places.same_regency(a, b) is same


@given(st.text(max_size=200), st.sampled_from([None, "ID-JI", "ID-XX"]))
def test_matching_never_raises(text, province_code):
    assert isinstance(places.match_regency(text, province_code), list)
    assert isinstance(places.match_province(text), list)
    assert isinstance(places.same_regency(text, "Banyuwangi"), bool)
