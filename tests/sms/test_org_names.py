"""Reporters read an organisation's `public_name` from the directory, never its name: an
organisation without one is "layanan pengaduan" in every SMS to a reporter."""

from __future__ import annotations

from sqlalchemy import select

from casebridge import directory, notify
from casebridge.models import Message, Organisation
from casebridge.reports import Report
from gateway.submit import submit_report

NO_PUBLIC_NAME = """
organisations:
  - {code: KOORD, name: Koordinator, kind: coordinator}
  - code: SHELTER-JI
    name: Shelter Perempuan Jawa Timur
    kind: ngo
    covers: {provinces: [ID-JI]}
"""


def test_reporters_read_the_public_name_never_the_name(services, orgs):
    with services.db.session() as s:
        names = {o.code: notify.public_name(o) for o in s.scalars(select(Organisation))}
    assert names["SHELTER-HK"] == "Pusat Layanan Hong Kong"
    assert names["LBH-NTB"] == "LBH NTB"
    assert names["KOORD"] is None


def test_telling_words_catch_names_that_say_what_a_case_is_about():
    for name in (
        "Shelter Pekerja Migran Hong Kong",
        "LBH Perempuan NTB",
        "UPTD PPA Jawa Timur",
        "P2TP2A Kota Batu",
        "Rumah Aman Surabaya",
        "Women Crisis Center",
        "LBH Anti Perdagangan Orang",
    ):
        assert notify.telling(name), name
    assert not notify.telling("Pos Layanan Desa Jawa Timur")


def test_a_confirmation_for_an_organisation_without_public_name(services, jobs):
    with services.db.session() as s:
        directory.apply(s, directory.parse_text(NO_PUBLIC_NAME))
    report = Report(
        reporter_phone="+6281299990009",
        category="unpaid_wages",
        channel="sms",
        sms_safe=True,
        province="ID-JI",
        language="id",
    )
    submit_report(services, "no-public-name", report)
    jobs.run()
    with services.db.session() as s:
        body = s.scalar(select(Message.body).where(Message.purpose == "confirmation"))
    assert "Ditangani: layanan pengaduan" in body
    assert "Shelter" not in body and "Perempuan" not in body
