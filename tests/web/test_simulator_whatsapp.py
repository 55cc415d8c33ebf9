"""The simulator's WhatsApp phone: its messages reach POST /whatsapp/meta as Meta sends them,
its inbox shows the choices as buttons to tap, a photo it sends is kept as the case's
attachment, and it acts only as training numbers."""

import base64
import re

import pytest
from sqlalchemy import select

from casebridge.models import Attachment, Message

PHONE = "+6289900000102"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"photo of a contract" * 20).decode()


@pytest.fixture
def settings_overrides():
    return {"demo": True}


@pytest.fixture
def page(client, orgs):
    html = client.get("/simulator").get_data(as_text=True)
    assert 'id="whatsapp-send"' in html
    token = re.search(r'data-csrf="([^"]+)"', html).group(1)

    def post(body, status=200):
        resp = client.post("/simulator/api/whatsapp", json=body, headers={"X-CSRF-Token": token})
        assert resp.status_code == status, resp.get_data(as_text=True)
        return resp.get_json()

    return post


def inbox(client) -> list[dict]:
    return client.get(f"/simulator/api/inbox?phone={PHONE}&channel=whatsapp").get_json()["messages"]


def test_a_report_with_a_photo(client, services, jobs, page):
    assert page({"phone": PHONE, "text": "LAPOR gaji belum dibayar di Malaysia"})["ok"]
    jobs.run()
    question = inbox(client)[0]
    assert "Anda siapa" in question["body"]
    assert question["choices"][0] == {"id": "1", "title": "Diri sendiri"}
    assert page({"phone": PHONE, "reply": question["choices"][0]})["ok"]
    jobs.run()
    assert "Siapa nama Anda" in inbox(client)[0]["body"]
    assert page({"phone": PHONE, "photo": {"type": "image/png", "data": PNG}})["ok"]
    jobs.run()
    with services.db.session() as session:
        row = session.scalars(select(Attachment)).one()
        assert (row.status, row.kind, row.channel) == ("stored", "image", "whatsapp")
        provider = session.scalars(select(Message.provider).where(Message.direction == "in")).all()
        assert set(provider) == {"whatsapp"}
    assert "File Anda diterima" in inbox(client)[0]["body"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"phone": "+6281234567891", "text": "LAPOR"}, 403),
        ({"phone": PHONE}, 400),
        ({"phone": PHONE, "photo": {"type": "image/gif", "data": PNG}}, 400),
        ({"phone": PHONE, "photo": {"type": "image/png", "data": "not base64!"}}, 400),
        ({"phone": PHONE, "photo": {"type": "image/png", "data": "A" * 60000}}, 400),
    ],
)
def test_refused(client, services, page, body, status):
    page(body, status)
    with services.db.session() as session:
        assert session.scalars(select(Message)).all() == []
