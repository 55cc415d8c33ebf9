"""`/simulator`: phones on a screen for training and demos.

The page never talks to the domain directly: each action is sent to the real webhook endpoint
exactly as a provider would send it (Africa's Talking for USSD and SMS, Twilio for voice, with
the token or signature the endpoint requires), so what works here works in production.

Training is safe by design: the page acts only as numbers in the training range
(`SIMULATOR_PHONE_PREFIX`), as caseworkers only of organisations marked `training: true`, and
reads only messages to those numbers; outside `--demo` it needs a signed-in coordinator (the
a coordinator's account). Reports it files are training cases (`casebridge.training`)."""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
)
from lxml import etree
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from casebridge import phones, whatsapp
from casebridge.models import Caseworker, Message, Organisation, Role
from casebridge.models.encrypted import matches
from casebridge.training import is_training_phone

from ..providers import simulator as simulated
from ..providers.whatsapp import PATH as WHATSAPP_PATH
from ..providers.whatsapp import sign as whatsapp_sign
from . import csrf, signin

blueprint = Blueprint("simulator", __name__, template_folder="templates")
SIM_NUMBER = "+6281100009999"
"""The service's own number as the simulated phones see it."""
MAX_TEXT = 480
MAX_PHOTO = 40 * 1024
"""The largest photo the simulator's WhatsApp phone sends (requests stay under the body limit)."""
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


def _settings():
    return current_app.extensions["services"].settings


def _db():
    return current_app.extensions["services"].db


def _reporters() -> list[str]:
    """Example reporters' numbers, in the training range (+62 numbers are 14 characters)."""
    prefix = _settings().simulator_phone_prefix
    width = max(3, 14 - len(prefix))
    return [f"{prefix}{n:0{width}d}" for n in (101, 102, 103, 104)]


@blueprint.before_request
def _only_when_enabled():
    if not (_settings().simulator_enabled or _settings().demo):
        abort(404)
    if _settings().demo:
        return None
    with _db().session() as session:
        person = signin.person(session)
        if person is not None:
            if person.role != Role.COORDINATOR:
                abort(403)
            return None
    if request.path.startswith("/simulator/api/"):
        return jsonify(error="sign_in_required", message="sign in as a coordinator first"), 401
    return redirect("/login?" + urlencode({"next": request.path}))


@blueprint.get("/simulator")
def page():
    prefix = _settings().simulator_phone_prefix
    with _db().session() as session:
        caseworkers = session.execute(
            select(Caseworker.phone, Caseworker.name, Organisation.code)
            .join(Organisation, Organisation.id == Caseworker.organisation_id)
            .where(
                Caseworker.active.is_(True),
                Organisation.active.is_(True),
                Organisation.training.is_(True),
                Caseworker.phone.startswith(prefix, autoescape=True),
            )
            .order_by(Organisation.code, Caseworker.name)
        ).all()
    return render_template(
        "simulator.html",
        caseworkers=caseworkers,
        service_code=_settings().ussd_service_code,
        demo=_settings().demo,
        reporters=_reporters(),
    )


def _phone(value: str | None) -> str:
    """A number the simulator may act as and read: in the training range, and not a
    caseworker of an organisation that is not marked training."""
    prefix = _settings().simulator_phone_prefix
    phone = phones.normalise(value or "")
    if phone is None:
        abort(400, description=f"choose a valid phone number, e.g. {_reporters()[0]}")
    if not is_training_phone(phone, prefix):
        abort(403, description=f"the simulator acts only as training numbers ({prefix}…)")
    with _db().session() as session:
        real = session.scalar(
            select(Organisation.code)
            .join(Caseworker, Caseworker.organisation_id == Organisation.id)
            .where(Caseworker.phone == phone, Organisation.training.is_(False))
            .limit(1)
        )
    if real is not None:
        abort(403, description=f"{phone} is a caseworker of {real}, not a training organisation")
    return phone


def _json() -> dict:
    csrf.check()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="expected a JSON object")
    return data


def _at_query() -> str:
    token = _settings().at_webhook_token
    return f"?token={token}" if token else ""


@blueprint.post("/simulator/api/ussd")
def ussd():
    data = _json()
    phone = _phone(data.get("phone"))
    session_id = str(data.get("session") or "")[:64] or f"SIM{uuid.uuid4().hex}"
    text = str(data.get("text") or "")[:MAX_TEXT]
    reply = current_app.test_client().post(
        "/ussd/africastalking" + _at_query(),
        data={
            "sessionId": session_id,
            "serviceCode": _settings().ussd_service_code,
            "phoneNumber": phone,
            "networkCode": "99999",
            "text": text,
        },
    )
    body = reply.get_data(as_text=True)
    end = not body.startswith("CON ")
    if end and not body.startswith("END "):
        body = "END " + body
    return jsonify(screen=body[4:], end=end, session=session_id)


@blueprint.post("/simulator/api/sms")
def sms():
    data = _json()
    phone = _phone(data.get("phone"))
    text = str(data.get("text") or "").strip()[:MAX_TEXT]
    if not text:
        abort(400, description="write a message first")
    reply = current_app.test_client().post(
        "/sms/africastalking" + _at_query(),
        data={
            "from": phone,
            "to": SIM_NUMBER,
            "text": text,
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "id": f"SIM{uuid.uuid4().hex}",
            "linkId": "",
            "networkCode": "99999",
        },
    )
    return jsonify(ok=reply.status_code < 300, status=reply.status_code)


def _photo(data: object) -> tuple[bytes, str] | None:
    """The photo of a WhatsApp message: `{"type": "image/jpeg", "data": "<base64>"}`."""
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("type") not in PHOTO_TYPES:
        abort(400, description=f"a photo is one of {', '.join(PHOTO_TYPES)}")
    try:
        content = base64.b64decode(str(data.get("data") or ""), validate=True)
    except (binascii.Error, ValueError):
        abort(400, description="the photo is not base64")
    if not content or len(content) > MAX_PHOTO:
        abort(400, description=f"choose a photo of at most {MAX_PHOTO // 1024} KB")
    return content, data["type"]


@blueprint.post("/simulator/api/whatsapp")
def whatsapp_message():
    """The WhatsApp phone: a text, a tapped choice (`reply: {id, title}`) or a photo, sent to
    /whatsapp/meta as Meta sends it (signed with WHATSAPP_APP_SECRET when it is set)."""
    data = _json()
    phone = _phone(data.get("phone"))
    text = str(data.get("text") or "").strip()[:MAX_TEXT]
    photo = _photo(data.get("photo"))
    reply = data.get("reply")
    message = {
        "from": phone.lstrip("+"),
        "id": f"wamid.SIM{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
    }
    if photo is not None:
        media_id = simulated.keep_media(_settings(), *photo)
        message |= {"type": "image", "image": {"id": media_id, "mime_type": photo[1]}}
        if text:
            message["image"]["caption"] = text
    elif isinstance(reply, dict) and str(reply.get("id") or "").isdigit():
        chosen = {"id": str(reply["id"])[:4], "title": str(reply.get("title") or "")[:24]}
        message |= {
            "type": "interactive",
            "interactive": {"type": "list_reply", "list_reply": chosen},
        }
    elif text:
        message |= {"type": "text", "text": {"body": text}}
    else:
        abort(400, description="write a message or choose a photo first")
    value = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": SIM_NUMBER.lstrip("+"),
            "phone_number_id": "simulator",
        },
        "contacts": [{"profile": {"name": "Simulator"}, "wa_id": message["from"]}],
        "messages": [message],
    }
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "simulator", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode()
    headers = {"Content-Type": "application/json"}
    secret = _settings().whatsapp_app_secret
    if secret:
        headers["X-Hub-Signature-256"] = whatsapp_sign(secret, body)
    answer = current_app.test_client().post(WHATSAPP_PATH, data=body, headers=headers)
    return jsonify(ok=answer.status_code < 300, status=answer.status_code)


@blueprint.get("/simulator/api/inbox")
def inbox():
    """What was sent to a training number: every channel, or `channel=whatsapp|sms` only;
    a WhatsApp question carries its `choices` (the buttons or list a phone shows)."""
    phone = _phone(request.args.get("phone"))
    channel = request.args.get("channel")
    with current_app.extensions["services"].db.session() as session:
        rows = session.scalars(
            select(Message)
            .where(Message.direction == "out", matches(session, Message.phone_index, phone))
            .order_by(Message.id.desc())
            .limit(30)
        ).all()
        messages = [
            {
                "id": m.id,
                "at": m.created_at.isoformat(),
                "body": m.body,
                "status": m.status,
                "channel": whatsapp.channel(m.provider, m.our_number),
                "choices": ((m.meta or {}).get("choices") or {}).get("rows", []),
            }
            for m in rows
            if channel is None or whatsapp.channel(m.provider, m.our_number) == channel
        ]
    return jsonify(messages=messages)


def _twilio_post(path: str, form: dict[str, str]):
    """POST to our Twilio voice endpoint, signed like Twilio when a token is configured."""
    headers = {}
    token = _settings().twilio_auth_token
    if token:
        url = _settings().public_base_url.rstrip("/") + path
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(url, form)
    return current_app.test_client().post(path, data=form, headers=headers)


def _local_path(url: str) -> str:
    parts = urlsplit(url)
    if not parts.path.startswith("/voice/twilio"):
        abort(400, description="the call can only continue on the voice endpoints")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _read_twiml(body: bytes) -> dict:
    """What a caller would hear and be asked to do, from a TwiML document."""
    try:
        root = etree.fromstring(
            body, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError:
        return {"prompts": ["(the service answered with invalid TwiML)"], "expect": "hangup"}
    prompts, expect, action, redirect, digits = [], "hangup", None, None, None
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "Say" and el.text:
            prompts.append(el.text.strip())
        elif tag == "Play":
            prompts.append("(recorded prompt)")
        elif tag == "Gather":
            expect, action, digits = "digits", el.get("action"), el.get("numDigits")
        elif tag == "Record":
            expect, action = "record", el.get("action")
        elif tag == "Redirect" and el.text:
            redirect = el.text.strip()
        elif tag in ("Hangup", "Reject"):
            expect = "hangup" if expect not in ("digits", "record") else expect
    return {
        "prompts": prompts,
        "expect": expect,
        "action": action,
        "redirect": redirect,
        "digits": digits,
    }


@blueprint.post("/simulator/api/call")
def call():
    data = _json()
    phone = _phone(data.get("phone"))
    call_sid = str(data.get("call") or "")[:64] or f"CA{uuid.uuid4().hex}"
    form = {
        "CallSid": call_sid,
        "AccountSid": "ACsimulator",
        "From": phone,
        "To": SIM_NUMBER,
        "CallStatus": "in-progress",
        "Direction": "inbound",
    }
    action = data.get("action")
    path = _local_path(action) if action else "/voice/twilio"
    if "digits" in data:
        form["Digits"] = str(data.get("digits") or "")[:20]
    if "recording" in data:
        words = str(data.get("recording") or "")[:MAX_TEXT]
        form["RecordingUrl"] = f"https://simulator.invalid/recordings/{call_sid}"
        form["RecordingDuration"] = str(max(1, len(words.split()) // 2)) if words else "0"
        form["Digits"] = "#"
    reply = _twilio_post(path, form)
    if reply.status_code >= 400:
        return jsonify(
            prompts=[f"(the service answered {reply.status_code})"], expect="hangup"
        ), 200
    result = _read_twiml(reply.get_data())
    result["call"] = call_sid
    return jsonify(result)
