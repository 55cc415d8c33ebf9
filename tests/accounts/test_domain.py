"""Accounts in the domain: invitations (72 hours, single use), password rules and hashes, the
second factor (TOTP never reused, SMS codes single use and 10 minutes), and who may invite
whom."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from casebridge import accounts, second_factor
from casebridge.models import Invite, Message, Organisation, Role, User, utcnow
from tests.conftest import TEST_KEYS
from tests.people import PASSWORD, make_person, totp_code

BASE = "https://gw.example.org"


def org(session, code):
    return session.scalars(select(Organisation).where(Organisation.code == code)).one()


def token_of(url: str) -> str:
    assert url.startswith(BASE + "/invite/")
    return url.rsplit("/", 1)[1]


def no_sessions(user_id):
    return 0


def test_an_invite_makes_the_account_and_a_link_that_lasts_72_hours(services, orgs):
    with services.db.session() as s:
        link = accounts.invite(
            s, email=" Ana@Example.ORG ", org=org(s, "SBMI-BWI"), role="caseworker", base_url=BASE
        )
        token = token_of(link.url)
    with services.db.session() as s:
        user = s.scalars(select(User)).one()
        assert user.email == "ana@example.org" and accounts.state(user) == "invited"
        invite = s.scalars(select(Invite)).one()
        assert token not in invite.token_hash and len(invite.token_hash) == 64
    with (
        time_machine.travel(utcnow() + timedelta(hours=71, minutes=59)),
        services.db.session() as s,
    ):
        assert accounts.open_invite(s, token) is not None
    with time_machine.travel(utcnow() + timedelta(hours=72, minutes=1)), services.db.session() as s:
        assert accounts.open_invite(s, token) is None
    with services.db.session() as s:
        assert accounts.open_invite(s, token + "x") is None
        assert accounts.open_invite(s, "") is None


def enrol_totp(services, token):
    with services.db.session() as s:
        invite = accounts.open_invite(s, token)
        enrolment = accounts.begin_enrolment(services.redis, invite, PASSWORD, PASSWORD, "totp")
        user = accounts.finish_enrolment(
            s, services.redis, invite, totp_code(enrolment.totp_secret), no_sessions
        )
        assert user is not None
        return user.id, enrolment.totp_secret


def test_an_invite_is_used_once_and_the_password_is_argon2id(services, orgs):
    with services.db.session() as s:
        url = accounts.invite(
            s, email="ana@example.org", org=org(s, "SBMI-BWI"), role="caseworker", base_url=BASE
        ).url
    user_id, secret = enrol_totp(services, token_of(url))
    with services.db.session() as s:
        user = s.get(User, user_id)
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert user.ready and user.second_factor == "totp" and user.totp_secret == secret
        assert accounts.open_invite(s, token_of(url)) is None  # used up
        assert accounts.verify_password(s, "ANA@example.org", PASSWORD).id == user_id
        assert accounts.verify_password(s, "ana@example.org", PASSWORD + "x") is None
        assert accounts.verify_password(s, "nobody@example.org", PASSWORD) is None
        with pytest.raises(accounts.AccountError) as refused:  # a ready person: reset instead
            accounts.invite(
                s, email="ana@example.org", org=org(s, "SBMI-BWI"), role="caseworker", base_url=BASE
            )
        assert refused.value.key == "account_exists"


def test_the_enrolment_needs_the_right_code(services, orgs):
    with services.db.session() as s:
        url = accounts.invite(
            s, email="ana@example.org", org=org(s, "SBMI-BWI"), role="caseworker", base_url=BASE
        ).url
        invite = accounts.open_invite(s, token_of(url))
        accounts.begin_enrolment(services.redis, invite, PASSWORD, PASSWORD, "totp")
        assert accounts.finish_enrolment(s, services.redis, invite, "000000", no_sessions) is None
        assert not invite.user.ready and invite.used_at is None


@pytest.mark.parametrize(
    ("password", "again", "key"),
    [
        ("short pass", "short pass", "account_password_short"),
        ("a long enough one", "a long enough 1", "account_password_mismatch"),
        ("passwordpassword", "passwordpassword", "account_password_weak"),
        ("Indonesia123", "Indonesia123", "account_password_weak"),
        ("aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "account_password_weak"),
        ("x" * 300, "x" * 300, "account_password_long"),
    ],
)
def test_weak_or_mistyped_passwords_are_refused(services, orgs, password, again, key):
    with services.db.session() as s:
        url = accounts.invite(
            s, email="ana@example.org", org=org(s, "SBMI-BWI"), role="caseworker", base_url=BASE
        ).url
        invite = accounts.open_invite(s, token_of(url))
        with pytest.raises(accounts.AccountError) as refused:
            accounts.begin_enrolment(services.redis, invite, password, again, "totp")
        assert refused.value.key == key


def test_a_totp_code_works_once_and_only_near_its_time(services, orgs):
    user = make_person(services, "SBMI-BWI")
    code = totp_code(user)
    with services.db.session() as s:
        person = s.get(User, user.id)
        assert second_factor.check(services.redis, services.settings.data_keys, person, code)
        assert not second_factor.check(
            services.redis, services.settings.data_keys, person, code
        )  # replayed
        later = totp_code(user, at=utcnow() + timedelta(seconds=30))
        assert second_factor.check(
            services.redis, services.settings.data_keys, person, later
        )  # the next step
        far = totp_code(user, at=utcnow() + timedelta(minutes=3))
        assert not second_factor.check(services.redis, services.settings.data_keys, person, far)
        assert not second_factor.check(
            services.redis, services.settings.data_keys, person, "12345x"
        )


def sent_code(services) -> str:
    with services.db.session() as s:
        body = s.scalars(select(Message).order_by(Message.id.desc())).first().body
    return next(w.rstrip(".") for w in body.split() if w.rstrip(".").isdigit())


def test_an_sms_code_goes_through_the_outbox_works_once_and_for_ten_minutes(services, orgs):
    user = make_person(services, "SBMI-BWI", phone="+6281234567001", factor="sms")
    with services.db.session() as s:
        person = s.get(User, user.id)
        message_id = second_factor.send_sms_code(s, services.redis, person, "simulator")
    with services.db.session() as s:
        message = s.get(Message, message_id)
        assert message.phone == "+6281234567001" and message.purpose == "sign_in_code"
        assert message.status == "queued" and message.case_id is None
    code = sent_code(services)
    assert code not in str(services.redis.get(f"pgd:sms-code:{user.id}"))  # stored hashed
    stored = services.redis.get(f"pgd:sms-code:{user.id}").decode()
    assert stored != hashlib.sha256(f"{user.id}:{code}".encode()).hexdigest()  # keyed
    assert stored == TEST_KEYS.index(f"sign-in code:{user.id}:{code}")
    assert second_factor.check_sms_code(services.redis, services.settings.data_keys, user.id, code)
    assert not second_factor.check_sms_code(
        services.redis, services.settings.data_keys, user.id, code
    )  # used
    with services.db.session() as s:
        second_factor.send_sms_code(s, services.redis, s.get(User, user.id), "simulator")
    code = sent_code(services)
    key = f"pgd:sms-code:{user.id}"
    assert 590 <= services.redis.ttl(key) <= 600  # Redis forgets it after 10 minutes
    services.redis.expire(key, 1)
    time.sleep(1.1)
    assert not second_factor.check_sms_code(
        services.redis, services.settings.data_keys, user.id, code
    )


def test_no_more_than_five_sms_codes_an_hour(services, orgs):
    user = make_person(services, "SBMI-BWI", phone="+6281234567001", factor="sms")
    with services.db.session() as s:
        person = s.get(User, user.id)
        sent = [
            second_factor.send_sms_code(s, services.redis, person, "simulator") for _ in range(7)
        ]
    assert all(sent[:5]) and sent[5:] == [None, None]
    with services.db.session() as s:
        assert len(s.scalars(select(Message)).all()) == 5


def test_who_may_invite_whom(services, orgs):
    with services.db.session() as s:
        bwi, koord, lbh = org(s, "SBMI-BWI"), org(s, "KOORD"), org(s, "LBH-NTB")
        admin = s.get(User, make_person(services, "SBMI-BWI", Role.ORG_ADMIN).id)
        worker = s.get(User, make_person(services, "SBMI-BWI", Role.CASEWORKER).id)
        coordinator = s.get(User, make_person(services, "KOORD", Role.COORDINATOR).id)
        assert accounts.may_invite(admin, bwi, "caseworker")
        assert accounts.may_invite(admin, bwi, "org_admin")
        assert not accounts.may_invite(admin, bwi, "coordinator")
        assert not accounts.may_invite(admin, lbh, "caseworker")
        assert not accounts.may_invite(worker, bwi, "caseworker")
        assert accounts.may_invite(coordinator, lbh, "org_admin")
        assert accounts.may_invite(coordinator, koord, "coordinator")
        assert not accounts.may_invite(coordinator, bwi, "coordinator")  # not a coordinator org
        assert not accounts.may_invite(None, bwi, "coordinator")
        with pytest.raises(accounts.AccountError):
            accounts.invite(
                s, email="x@example.org", org=lbh, role="caseworker", base_url=BASE, by=admin
            )
        assert s.scalar(select(User).where(User.email == "x@example.org")) is None


def test_disable_and_reset_end_every_session(services, orgs):
    user = make_person(services, "SBMI-BWI")
    ended = []
    with services.db.session() as s:
        url = accounts.reset(s, s.get(User, user.id), BASE, ended.append).url
        person = s.get(User, user.id)
        assert person.password_hash is None and person.totp_secret is None and not person.ready
        assert accounts.open_invite(s, token_of(url)) is not None
        newer = accounts.reset(s, person, BASE, ended.append)
        assert accounts.open_invite(s, token_of(url)) is None  # the older link is revoked
        accounts.disable(s, person, ended.append)
        assert not person.active and person.disabled_at is not None
        assert accounts.open_invite(s, token_of(newer.url)) is None  # a disabled person's link
        assert accounts.state(person) == "disabled"
    assert ended == [user.id, user.id, user.id]
