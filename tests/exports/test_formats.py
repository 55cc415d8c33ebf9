"""The export in the network's one shape: CSV, JSON and XML carry the same cases, with their
people, parties, referrals and timelines; the XML validates against the published XSD."""

from __future__ import annotations

import csv
import io
import json
from importlib.resources import files

from lxml import etree

from casebridge import parties, status, taxonomy
from casebridge.exports import csvfile, xmlfile
from tests.api.conftest import api
from tests.forwarding.cases import REPORTER_PHONE


def export(client, key: str, fmt: str, query: str = ""):
    resp = api(client, "GET", f"/export?format={fmt}{query}", key)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp


def test_json_export_holds_each_case_as_the_api_shows_it(client, rich_case):
    doc = export(client, rich_case["key"], "json").get_json()
    assert (doc["format"], doc["version"]) == ("pengaduan-cases", 1)
    [case] = doc["cases"]
    shown = api(client, "GET", f"/cases/{rich_case['reference']}", rich_case["key"]).get_json()
    assert case == shown  # the same shape, the same data (reads stay in the audit trail)
    assert [p["name"] for p in case["parties"]] == ["PT Maju Jaya", "Paman Joko"]
    assert case["referrals"][0]["to"] == "LBH-TPPO"


def test_csv_opens_with_the_right_columns_and_neutralised_formulas(client, rich_case):
    resp = export(client, rich_case["key"], "csv")
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert tuple(rows[0]) == csvfile.COLUMNS
    [row] = rows
    assert row["reference"] == rich_case["reference"] and row["status"] == "accepted"
    assert row["description"] == "'=cmd|' /C calc'!A0 gaji ditahan 4 bulan"
    assert row["reporter_phone"] == "'+62812****7891"  # masked unless asked for
    assert json.loads(row["parties"])[1]["cooperative"] == "no"
    assert [e["kind"] for e in json.loads(row["timeline"])][:2] == ["created", "status"]


def test_a_cell_never_starts_a_formula():
    for text in ("=1+1", "+62812", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert csvfile.cell(text).startswith("'")
    assert csvfile.cell("Gaji 4 bulan") == "Gaji 4 bulan"
    assert csvfile.cell(None) == "" and csvfile.cell(True) == "true"


def test_xml_export_validates_against_the_published_schema(client, rich_case):
    resp = export(client, rich_case["key"], "xml", "&phones=full")
    xsd = api(client, "GET", "/schemas/cases.xsd")
    assert xsd.status_code == 200
    schema = etree.XMLSchema(etree.fromstring(xsd.data))
    document = etree.fromstring(resp.data)
    schema.assertValid(document)
    ns = {"c": xmlfile.NS}
    [case] = document.findall("c:case", ns)
    assert case.get("reference") == rich_case["reference"]
    assert case.findtext("c:reporter/c:phone", namespaces=ns) == REPORTER_PHONE
    assert [p.findtext("c:role", namespaces=ns) for p in case.findall("c:parties/c:party", ns)] == [
        "agency",
        "family",
    ]
    assert case.findtext("c:referrals/c:referral/c:to", namespaces=ns) == "LBH-TPPO"


def test_xml_is_valid_with_every_optional_part_missing_and_odd_characters(services, orgs):
    view = {
        "reference": "4821-7730",
        "status": "new",
        "overdue": False,
        "category": "other",
        "channel": "ussd",
        "organisation": None,
        "created_at": "2024-05-01T08:00:00Z",
        "description": "tab\there, bell\x07 gone, 中文 kept",
        "language": "id",
        "consent_to_share": False,
        "reporter": {
            "phone": "+62812****7890",
            "relationship": "self",
            "language": "id",
            "sms_safe": False,
            "opted_out": True,
        },
        "worker": {"gender": "unspecified"},
        "parties": [],
        "referrals": [],
        "timeline": [],
    }
    element = xmlfile.element(view)
    xmlfile.schema().assertValid(element)
    assert element.findtext(f"{{{xmlfile.NS}}}description") == "tab\there, bell gone, 中文 kept"


def test_the_schema_knows_every_code_the_service_uses():
    xsd = etree.fromstring((files("casebridge.exports") / "cases.xsd").read_bytes())
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}

    def enum(name):
        return tuple(
            e.get("value")
            for e in xsd.findall(f"xs:simpleType[@name='{name}']//xs:enumeration", ns)
        )

    assert enum("Status") == status.STATUSES
    assert enum("Category") == taxonomy.CATEGORIES
    assert enum("Gender") == taxonomy.GENDERS
    assert enum("Relationship") == taxonomy.RELATIONSHIPS
    assert enum("PartyRole") == parties.ROLES
    assert enum("Cooperative") == parties.COOPERATIVE


def test_export_filters_and_bad_format(client, rich_case):
    key = rich_case["key"]
    assert export(client, key, "json", "&category=violence").get_json()["cases"] == []
    assert len(export(client, key, "json", "&since=2000-01-01").get_json()["cases"]) == 1
    bad = api(client, "GET", "/export?format=xlsx", key)
    assert bad.status_code == 400 and "format" in bad.get_json()["fields"]
    assert api(client, "GET", "/export?format=csv&since=soon", key).status_code == 400
