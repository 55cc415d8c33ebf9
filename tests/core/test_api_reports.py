"""`POST /api/v1/reports`: a desk report becomes a routed case; bad input changes nothing."""

import pytest
from sqlalchemy import func, select

from casebridge import refs
from casebridge.models import Case, Intake, Message

BODY = {
    "reporter": {
        "phone": "+6281234567890",
        "name": "Sri",
        "relationship": "sibling",
        "language": "id",
        "sms_safe": True,
    },
    "worker": {
        "name": "Wati",
        "gender": "female",
        "phone": "+60123456789",
        "country": "MY",
        "province": "ID-JI",
        "regency": "Banyuwangi",
    },
    "category": "unpaid_wages",
    "description": "Gaji 4 bulan belum dibayar",
    "organisation": "SBMI-BWI",
    "channel": "desk",
}


def post(client, key, body=BODY, **headers):
    return client.post(
        "/api/v1/reports", json=body, headers={"Authorization": f"Bearer {key}", **headers}
    )


def counts(services):
    with services.db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Intake, Case, Message))


def test_report_answers_201_and_becomes_routed_case(client, services, api_key, jobs):
    key = api_key("POSDESA-JATIM")
    resp = post(client, key)
    assert resp.status_code == 201
    data = resp.get_json()
    assert set(data) == {"reference", "pin", "status"} and data["status"] == "new"
    assert refs.is_valid(data["reference"]) and "-" in data["reference"]
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert refs.format_ref(case.reference) == data["reference"]
        assert case.organisation.code == "SBMI-BWI"  # the reporter's choice
        assert case.worker.regency == "Kabupaten Banyuwangi" and case.worker.gender == "female"
        assert case.relationship_ == "sibling" and case.reporter.sms_safe
        msg = s.scalars(select(Message).where(Message.purpose == "confirmation")).one()
        assert data["reference"] in msg.body and data["pin"] in msg.body


def test_same_idempotency_key_returns_the_first_answer(client, services, api_key, jobs):
    key = api_key("POSDESA-JATIM")
    first = post(client, key, **{"Idempotency-Key": "desk-42"})
    again = post(client, key, **{"Idempotency-Key": "desk-42"})
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    jobs.run()
    assert counts(services)[:2] == (1, 1)


def test_same_key_with_another_report_is_422_and_records_nothing(client, services, api_key, jobs):
    key = api_key("POSDESA-JATIM")
    first = post(client, key, **{"Idempotency-Key": "desk-43"})
    other = post(
        client, key, _with("description", "Paspor ditahan"), **{"Idempotency-Key": "desk-43"}
    )
    assert first.status_code == 201
    assert other.status_code == 422
    assert other.get_json()["error"] == "idempotency_key_reused" and other.get_json()["message"]
    assert first.get_json()["reference"] not in other.get_data(as_text=True)
    jobs.run()
    assert counts(services)[:2] == (1, 1)
    with services.db.session() as s:
        assert s.scalars(select(Case.description)).one() == BODY["description"]


def test_same_key_from_another_organisation_is_another_report(client, services, api_key):
    a = post(client, api_key("POSDESA-JATIM"), **{"Idempotency-Key": "x"})
    b = post(client, api_key("SBMI-BWI"), **{"Idempotency-Key": "x"})
    assert a.get_json()["reference"] != b.get_json()["reference"]


def test_without_key_each_post_is_a_new_report(client, services, api_key):
    key = api_key("POSDESA-JATIM")
    assert post(client, key).get_json() != post(client, key).get_json()
    assert counts(services)[0] == 2


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc", "Bearer pgd_wrong"])
def test_missing_or_bad_key_is_401(client, services, orgs, header):
    headers = {"Authorization": header} if header else {}
    resp = client.post("/api/v1/reports", json=BODY, headers=headers)
    assert resp.status_code == 401
    assert counts(services) == (0, 0, 0)


def _without(path):
    import copy

    body = copy.deepcopy(BODY)
    node = body
    *parents, leaf = path.split(".")
    for p in parents:
        node = node[p]
    del node[leaf]
    return body


def _with(path, value):
    import copy

    body = copy.deepcopy(BODY)
    node = body
    *parents, leaf = path.split(".")
    for p in parents:
        node = node[p]
    node[leaf] = value
    return body


@pytest.mark.parametrize(
    "body, field",
    [
        (_without("reporter.phone"), "reporter.phone"),
        (_with("reporter.phone", "12"), "reporter.phone"),
        (_without("category"), "category"),
        (_with("category", "wages"), "category"),
        (_with("worker.gender", "woman"), "worker.gender"),
        (_with("worker.country", "Malaysia"), "worker.country"),
        (_with("worker.province", "ID-XX"), "worker.province"),
        (_with("worker.regency", "Atlantis"), "worker.regency"),
        (_with("worker.phone", "not a phone"), "worker.phone"),
        (_with("reporter.sms_safe", "yes"), "reporter.sms_safe"),
        (_with("reporter.relationship", "friend"), "reporter.relationship"),
        (_with("reporter.language", "fr"), "reporter.language"),
        (_with("colour", "red"), "colour"),
        (_with("reporter.age", 40), "reporter.age"),
        (_with("description", "x" * 5000), "description"),
        (_with("channel", "fax"), "channel"),
    ],
)
def test_bad_field_is_400_naming_it_and_nothing_is_written(client, services, api_key, body, field):
    resp = post(client, api_key("SBMI-BWI"), body)
    assert resp.status_code == 400
    assert field in resp.get_json()["fields"]
    assert counts(services) == (0, 0, 0)


@pytest.mark.parametrize("raw", ["not json", "[1,2]", "null", "{"])
def test_non_object_body_is_400(client, services, api_key, raw):
    resp = client.post(
        "/api/v1/reports",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_key('SBMI-BWI')}"},
    )
    assert resp.status_code == 400
    assert counts(services) == (0, 0, 0)


def test_oversized_body_is_refused_early(client, services, api_key):
    resp = post(client, api_key("SBMI-BWI"), _with("description", "x" * 200_000))
    assert resp.status_code == 413
    assert counts(services) == (0, 0, 0)


def test_minimal_report_is_accepted(client, services, api_key, jobs):
    body = {"reporter": {"phone": "0812-3456-7890"}, "category": "other"}
    resp = post(client, api_key("SBMI-BWI"), body)
    assert resp.status_code == 201
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.reporter.phone == "+6281234567890"
        assert case.organisation.code == "KOORD"  # nothing to match on: the coordinator
        assert case.worker.gender == "unspecified"
    with services.db.session() as s:  # sms_safe defaults to false: nothing to the reporter
        assert s.scalars(select(Message.purpose)).all() == ["case_forward"]


@pytest.mark.parametrize(
    "worker, regency, province",
    [
        ({"regency": "Banyuwangi, Jawa Timur"}, "Kabupaten Banyuwangi", "ID-JI"),
        ({"regency": "Kab. Banyuwangi Jatim"}, "Kabupaten Banyuwangi", "ID-JI"),
        (
            {"province": "ID-JI", "regency": "Banyuwangi, Jawa Timur"},
            "Kabupaten Banyuwangi",
            "ID-JI",
        ),
    ],
)
def test_regency_typed_with_its_province_is_routed_to_the_regency(
    client, services, api_key, jobs, worker, regency, province
):
    body = {**_without("organisation"), "worker": {"country": "MY", **worker}}
    resp = post(client, api_key("POSDESA-JATIM"), body)
    assert resp.status_code == 201, resp.get_json()
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert (case.worker.regency, case.worker.province) == (regency, province)
        assert case.organisation.code == "SBMI-BWI"


@pytest.mark.parametrize(
    "worker, message",
    [
        (
            {"regency": "Banyuwangi, Jawa Tengah"},
            "Kabupaten Banyuwangi is in Jawa Timur (ID-JI), not in Jawa Tengah (ID-JT)",
        ),
        (
            {"province": "ID-JT", "regency": "Banyuwangi"},
            "Kabupaten Banyuwangi is in Jawa Timur (ID-JI), not in Jawa Tengah (ID-JT)",
        ),
        (
            {"province": "ID-JI", "regency": "Banyuwangi, Jawa Tengah"},
            "Kabupaten Banyuwangi is in Jawa Timur (ID-JI), not in Jawa Tengah (ID-JT)",
        ),
        ({"regency": "Jawa Timur"}, "names only a province (ID-JI); give a regency or city"),
    ],
)
def test_regency_and_province_that_disagree_are_refused(client, services, api_key, worker, message):
    resp = post(client, api_key("SBMI-BWI"), {**BODY, "worker": worker})
    assert resp.status_code == 400
    assert resp.get_json()["fields"] == {"worker.regency": message}
    assert counts(services) == (0, 0, 0)
