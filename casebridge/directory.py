"""The organisation directory: load it from YAML, check every field, apply it in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import phones, places, taxonomy
from .models import Caseworker, Organisation
from .models.orgs import ORG_KINDS
from .notify import telling

_ORG_FIELDS = {
    "code",
    "name",
    "public_name",
    "training",
    "kind",
    "languages",
    "covers",
    "selectable",
    "sla_hours",
    "caseworkers",
    "forward",
}
_COVER_FIELDS = {"provinces", "regencies", "countries", "categories"}
_FORWARD_FIELDS = {"sms", "webhook", "email"}


class DirectoryError(ValueError):
    """The directory file is wrong; `problems` lists every problem found, each precise."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class OrgEntry:
    code: str
    name: str
    public_name: str | None
    training: bool
    kind: str
    languages: list[str]
    provinces: list[str]
    regencies: list[str]
    countries: list[str]
    categories: list[str]
    selectable: bool
    sla_hours: int
    caseworkers: list[tuple[str, str]]
    forward_sms: bool
    webhook_url: str | None
    webhook_secret: str | None
    email: str | None


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def parse_file(path: str | Path) -> list[OrgEntry]:
    """Read and check a directory file; raises DirectoryError listing every problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise DirectoryError([f"{path}: cannot read file ({exc.strerror})"]) from exc
    return parse_text(text, str(path))


def parse_text(text: str, source: str = "directory") -> list[OrgEntry]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DirectoryError([f"{source}:{where}: not valid YAML ({problem})"]) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("organisations"), list):
        raise DirectoryError([f"{source}: expected a top-level 'organisations:' list"])
    problems: list[str] = []
    entries: list[OrgEntry] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(doc["organisations"], start=1):
        checker = _Checker(index, raw, problems)
        entry = checker.entry()
        if entry is None:
            continue
        if entry.code in seen:
            problems.append(
                f"organisation #{index} ({entry.code}): code is already used by "
                f"organisation #{seen[entry.code]}"
            )
            continue
        seen[entry.code] = index
        entries.append(entry)
    if entries and not any(e.kind == "coordinator" for e in entries):
        problems.append(
            f"{source}: no organisation of kind 'coordinator' (unrouted cases go there)"
        )
    if problems:
        raise DirectoryError(problems)
    return entries


class _Checker:
    def __init__(self, index: int, raw: Any, problems: list[str]):
        self.raw = raw
        self.problems = problems
        code = raw.get("code") if isinstance(raw, dict) else None
        self.where = f"organisation #{index}" + (f" ({code})" if isinstance(code, str) else "")

    def fail(self, field_name: str, message: str) -> None:
        self.problems.append(f"{self.where}: field '{field_name}': {message}")

    def entry(self) -> OrgEntry | None:
        raw = self.raw
        if not isinstance(raw, dict):
            self.problems.append(f"{self.where}: expected a mapping of fields")
            return None
        before = len(self.problems)
        for unknown in sorted(set(raw) - _ORG_FIELDS):
            self.fail(unknown, f"unknown field (known: {', '.join(sorted(_ORG_FIELDS))})")
        code = self.text("code", required=True, max_len=40)
        if code and not all(c.isalnum() or c in "-_" for c in code):
            self.fail("code", f"{code!r} may contain only letters, digits, '-' and '_'")
        name = self.text("name", required=True, max_len=200)
        public_name = self.text("public_name", max_len=200)
        if public_name and telling(public_name):
            self.fail("public_name", f"{public_name!r} says what a case is about (telling_words)")
        training = raw.get("training", False)
        if not isinstance(training, bool):
            self.fail("training", f"expected true or false, not {training!r}")
        kind = raw.get("kind", "ngo")
        if kind not in ORG_KINDS:
            self.fail("kind", f"{kind!r} is not one of {', '.join(ORG_KINDS)}")
        languages = self.str_list("languages", raw.get("languages", ["id"]))
        covers = raw.get("covers") or {}
        if not isinstance(covers, dict):
            self.fail(
                "covers", "expected a mapping with provinces, regencies, countries, categories"
            )
            covers = {}
        for unknown in sorted(set(covers) - _COVER_FIELDS):
            self.fail(f"covers.{unknown}", "unknown field")
        provinces = self.str_list("covers.provinces", covers.get("provinces", []))
        for code_ in provinces:
            if places.province(code_) is None:
                self.fail(
                    "covers.provinces", f"{code_!r} is not an ISO 3166-2 province code (ID-JI…)"
                )
        regencies = self.str_list("covers.regencies", covers.get("regencies", []))
        for reg in regencies:
            if not places.match_regency(reg, limit=1):
                self.fail("covers.regencies", f"{reg!r} is not a known regency or city")
        countries = [
            c.upper() for c in self.str_list("covers.countries", covers.get("countries", []))
        ]
        for country in countries:
            if not taxonomy.is_country(country):
                self.fail("covers.countries", f"{country!r} is not an ISO 3166-1 alpha-2 code")
        categories = self.str_list("covers.categories", covers.get("categories", []))
        for cat in categories:
            if cat not in taxonomy.CATEGORIES:
                self.fail("covers.categories", f"{cat!r} is not a category code")
        selectable = raw.get("selectable", False)
        if not isinstance(selectable, bool):
            self.fail("selectable", f"expected true or false, not {selectable!r}")
        sla = raw.get("sla_hours", 48)
        if isinstance(sla, bool) or not isinstance(sla, int) or not 1 <= sla <= 24 * 30:
            self.fail("sla_hours", f"expected a whole number of hours from 1 to 720, not {sla!r}")
        caseworkers = self.caseworkers(raw.get("caseworkers", []))
        fwd_sms, url, secret, email = self.forward(raw.get("forward") or {})
        if len(self.problems) > before:
            return None
        return OrgEntry(
            code=code or "",
            name=name or "",
            public_name=public_name,
            training=bool(training),
            kind=kind,
            languages=languages,
            provinces=provinces,
            regencies=regencies,
            countries=countries,
            categories=categories,
            selectable=bool(selectable),
            sla_hours=int(sla),
            caseworkers=caseworkers,
            forward_sms=fwd_sms,
            webhook_url=url,
            webhook_secret=secret,
            email=email,
        )

    def text(self, name: str, required: bool = False, max_len: int = 200) -> str | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "is required")
            return None
        if not isinstance(value, str):
            self.fail(name, f"expected text, not {value!r}")
            return None
        if len(value) > max_len:
            self.fail(name, f"is longer than {max_len} characters")
        return value.strip()

    def str_list(self, name: str, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"expected a list of text values, not {value!r}")
            return []
        return [v.strip() for v in value]

    def caseworkers(self, value: Any) -> list[tuple[str, str]]:
        if not isinstance(value, list):
            self.fail("caseworkers", "expected a list of {name, phone}")
            return []
        result = []
        for i, cw in enumerate(value, start=1):
            label = f"caseworkers[{i}]"
            if not isinstance(cw, dict) or not isinstance(cw.get("name"), str):
                self.fail(label, "expected {name: ..., phone: ...}")
                continue
            phone_raw = cw.get("phone")
            phone = phones.normalise(str(phone_raw)) if phone_raw else None
            if phone is None:
                self.fail(f"{label}.phone", f"{phone_raw!r} is not a valid phone number")
                continue
            result.append((cw["name"].strip(), phone))
        return result

    def forward(self, value: Any) -> tuple[bool, str | None, str | None, str | None]:
        if not isinstance(value, dict):
            self.fail("forward", "expected a mapping with sms, webhook, email")
            return False, None, None, None
        for unknown in sorted(set(value) - _FORWARD_FIELDS):
            self.fail(f"forward.{unknown}", "unknown field (known: email, sms, webhook)")
        sms = value.get("sms", False)
        if not isinstance(sms, bool):
            self.fail("forward.sms", f"expected true or false, not {sms!r}")
        url = secret = None
        hook = value.get("webhook")
        if hook is not None:
            if not isinstance(hook, dict):
                self.fail("forward.webhook", "expected {url: ..., secret: ...}")
            else:
                url, secret = hook.get("url"), hook.get("secret")
                if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                    self.fail("forward.webhook.url", f"expected an http(s) URL, not {url!r}")
                if not isinstance(secret, str) or len(secret) < 16:
                    self.fail("forward.webhook.secret", "is required, at least 16 characters")
        email = value.get("email")
        if email is not None and (not isinstance(email, str) or "@" not in email):
            self.fail("forward.email", f"{email!r} is not an e-mail address")
        return bool(sms), url, secret, email


def apply(session: Session, entries: list[OrgEntry]) -> LoadResult:
    """Create or update every organisation; those absent from the file are deactivated."""
    result = LoadResult()
    existing = {o.code: o for o in session.scalars(select(Organisation))}
    for entry in entries:
        org = existing.get(entry.code)
        if org is None:
            org = Organisation(code=entry.code)
            session.add(org)
            result.created.append(entry.code)
        else:
            result.updated.append(entry.code)
        org.name = entry.name
        org.public_name = entry.public_name
        org.training = entry.training
        org.kind = entry.kind
        org.languages = entry.languages
        org.covers_provinces = entry.provinces
        org.covers_regencies = entry.regencies
        org.covers_countries = entry.countries
        org.covers_categories = entry.categories
        org.selectable = entry.selectable
        org.sla_hours = entry.sla_hours
        org.forward_sms = entry.forward_sms
        org.webhook_url = entry.webhook_url
        org.webhook_secret = entry.webhook_secret
        org.email = entry.email
        org.active = True
        wanted = dict((phone, name) for name, phone in entry.caseworkers)
        for cw in list(org.caseworkers):
            if cw.phone in wanted:
                cw.name, cw.active = wanted.pop(cw.phone), True
            else:
                cw.active = False
        for phone, name in wanted.items():
            org.caseworkers.append(Caseworker(name=name, phone=phone))
    codes = {e.code for e in entries}
    for code, org in existing.items():
        if code not in codes and org.active:
            org.active = False
            result.deactivated.append(code)
    session.flush()
    return result


def load(session: Session, path: str | Path) -> LoadResult:
    """Parse and apply a directory file; nothing changes when the file has a problem."""
    return apply(session, parse_file(path))
