"""Reading a typed home place: a regency with or without its province, and conflicts."""

from dataclasses import dataclass

import pytest

from casebridge.origin import parse_origin


@dataclass(frozen=True)
class Answer:
    typed: str
    state: str
    regency: str | None = None
    province: str | None = None
    within: str | None = None


def regency(typed, name, province, within=None):
    return Answer(typed, "regency", name, province, within)


def conflict(typed, name, named, within=None):
    return Answer(typed, "conflict", name, named, within)


ANSWERS = [
    # a regency with its own province: kept, in any order, with or without a comma
    regency("Banyuwangi, Jawa Timur", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Banyuwangi Jawa Timur", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Jawa Timur, Banyuwangi", "Kabupaten Banyuwangi", "ID-JI"),
    regency("jawa timur banyuwangi", "Kabupaten Banyuwangi", "ID-JI"),
    regency("BANYUWANGI - JAWA TIMUR", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Kab. Banyuwangi, Jatim", "Kabupaten Banyuwangi", "ID-JI"),
    regency("banyuwangi jatim", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Kabupaten Banyuwangi Provinsi Jawa Timur", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Kab Banyuwangi / Prov. Jatim", "Kabupaten Banyuwangi", "ID-JI"),
    regency("dari Banyuwangi, Jawa Timur", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Banyuwangi Jawa Timur Indonesia", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Desa Sumberagung, Banyuwangi, Jawa Timur", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Banyuwangi, East Java", "Kabupaten Banyuwangi", "ID-JI"),
    # one typo, in the regency or in the province
    regency("banyuwangu jatim", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Banyuwangi, Jawa Timr", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Pnorogo, Jawa Timur", "Kabupaten Ponorogo", "ID-JI"),
    regency("tulung agung jatim", "Kabupaten Tulungagung", "ID-JI"),
    # Kab./Kota keep their kind
    regency("Kota Malang, Jawa Timur", "Kota Malang", "ID-JI"),
    regency("Kab. Malang Jatim", "Kabupaten Malang", "ID-JI"),
    regency("Kota Bandung, Jabar", "Kota Bandung", "ID-JB"),
    # short forms of provinces
    regency("Cilacap, Jateng", "Kabupaten Cilacap", "ID-JT"),
    regency("Indramayu Jabar", "Kabupaten Indramayu", "ID-JB"),
    regency("Lombok Timur, NTB", "Kabupaten Lombok Timur", "ID-NB"),
    regency("Kupang NTT", "Kabupaten Kupang", "ID-NT"),
    regency("Sleman, DIY", "Kabupaten Sleman", "ID-YO"),
    regency("Sleman DI Yogyakarta", "Kabupaten Sleman", "ID-YO"),
    regency("Medan Sumut", "Kota Medan", "ID-SU"),
    regency("Samarinda, Kaltim", "Kota Samarinda", "ID-KI"),
    regency("Batam, Kepri", "Kota Batam", "ID-KR"),
    regency("Ponorogo/Jatim", "Kabupaten Ponorogo", "ID-JI"),
    # names that contain a province's name are still regencies
    regency("Jakarta Selatan", "Kota Jakarta Selatan", "ID-JK"),
    regency("Jakarta Selatan, DKI Jakarta", "Kota Jakarta Selatan", "ID-JK"),
    regency("Lampung Timur", "Kabupaten Lampung Timur", "ID-LA"),
    regency("Lampung Timur, Lampung", "Kabupaten Lampung Timur", "ID-LA"),
    regency("Belitung, Bangka Belitung", "Kabupaten Belitung", "ID-BB"),
    # a regency alone, as before
    regency("Banyuwangi", "Kabupaten Banyuwangi", "ID-JI"),
    regency("Kab. Indramayu", "Kabupaten Indramayu", "ID-JB"),
    regency("surabya", "Kota Surabaya", "ID-JI"),
    regency("3510", "Kabupaten Banyuwangi", "ID-JI"),
    # only a province
    Answer("Jawa Timur", "province", None, "ID-JI"),
    Answer("Jatim", "province", None, "ID-JI"),
    Answer("NTB", "province", None, "ID-NB"),
    Answer("Kepulauan Riau", "province", None, "ID-KR"),
    Answer("Bangka Belitung", "province", None, "ID-BB"),
    Answer("Desa Sukamaju, Jawa Timur", "province", None, "ID-JI"),
    # a regency and a province that disagree: ask again
    conflict("Banyuwangi, Jawa Tengah", "Kabupaten Banyuwangi", "ID-JT"),
    conflict("Banyuwangi Jateng", "Kabupaten Banyuwangi", "ID-JT"),
    conflict("Banyuwangu, Jawa Tengah", "Kabupaten Banyuwangi", "ID-JT"),
    conflict("Malang, Jawa Tengah", "Kabupaten Malang", "ID-JT"),
    conflict("Lombok Timur NTT", "Kabupaten Lombok Timur", "ID-NT"),
    conflict("Jakarta Selatan, Jawa Barat", "Kota Jakarta Selatan", "ID-JB"),
    # with a province already given (USSD, the API): a regency must be in it
    regency("Banyuwangi, Jawa Timur", "Kabupaten Banyuwangi", "ID-JI", within="ID-JI"),
    regency("surabya", "Kota Surabaya", "ID-JI", within="ID-JI"),
    conflict("Banyuwangi", "Kabupaten Banyuwangi", "ID-JT", within="ID-JT"),
    conflict("Banyuwangi, Jawa Timur", "Kabupaten Banyuwangi", "ID-JT", within="ID-JT"),
    conflict("Banyuwangi, Jawa Tengah", "Kabupaten Banyuwangi", "ID-JT", within="ID-JI"),
    # nothing
    Answer("xyz", "unknown"),
    Answer("   ", "unknown"),
]


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda a: f"{a.typed}@{a.within}")
def test_parse_origin(answer):
    origin = parse_origin(answer.typed, within=answer.within)
    assert origin.state == answer.state
    assert (origin.regency.name if origin.regency else None) == answer.regency
    if answer.state == "conflict":
        assert origin.province is None
        assert origin.named.code == answer.province
    else:
        assert (origin.province.code if origin.province else None) == answer.province


def test_equally_good_regencies_are_all_offered():
    origin = parse_origin("Malang, Jawa Timur")
    assert [r.name for r in origin.alternatives] == ["Kabupaten Malang", "Kota Malang"]
