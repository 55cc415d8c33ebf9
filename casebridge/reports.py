"""A report as every channel hands it in: checked, normalised, and stored in the intake."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from . import clean, phones, places, taxonomy
from .origin import Origin, parse_origin

CHANNELS = ("desk", "web", "chatbot", "api", "ussd", "sms", "voice", "whatsapp")
_TOP = {"reporter", "worker", "category", "description", "organisation", "channel", "consent"}
_REPORTER = {"phone", "name", "relationship", "language", "sms_safe"}
_WORKER = {"name", "gender", "phone", "country", "province", "regency"}
MAX_DESCRIPTION = 2000


class ReportError(ValueError):
    """The report cannot be accepted; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Report:
    reporter_phone: str
    category: str
    channel: str
    reporter_name: str | None = None
    relationship: str = "self"
    language: str = "id"
    sms_safe: bool = False
    worker_name: str | None = None
    worker_gender: str = "unspecified"
    worker_phone: str | None = None
    country: str | None = None
    province: str | None = None
    regency: str | None = None
    regency_code: str | None = None
    description: str | None = None
    organisation: str | None = None
    consent_to_share: bool = False
    recording_url: str | None = None
    recording_duration: int | None = None
    filed_by: str | None = None
    """The organisation that recorded a desk report (its code); it keeps reading the case."""
    training: bool = False
    """From a number in the training range: a training case (`casebridge.training`)."""

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    def cleaned(self) -> Report:
        """This report with every text stripped of what cannot be stored (`clean.text`)."""
        texts = {k: clean.text(v) for k, v in asdict(self).items() if isinstance(v, str)}
        return replace(self, **texts)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Report:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in names})


def _text(errors: dict, key: str, value: Any, max_len: int = 200) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors[key] = "must be text"
        return None
    value = clean.text(value).strip()
    if len(value) > max_len:
        errors[key] = f"must be at most {max_len} characters"
        return None
    return value or None


def _choice(errors: dict, key: str, value: Any, allowed: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value not in allowed:
        errors[key] = f"must be one of {', '.join(allowed)}"
        return default
    return value


def _bool(errors: dict, key: str, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        errors[key] = "must be true or false"
        return False
    return value


def _unknown(errors: dict, prefix: str, data: dict, known: set[str]) -> None:
    for name in sorted(set(data) - known):
        errors[f"{prefix}{name}"] = "unknown field"


def _origin_error(origin: Origin, province: str | None) -> str:
    """Why a typed regency is refused: unknown, only a province, or not in the province given."""
    if origin.conflict:
        home = places.province(origin.regency.province_code)
        return (
            f"{origin.regency.name} is in {home.name} ({home.code}), "
            f"not in {origin.named.name} ({origin.named.code})"
        )
    if origin.named and not province:
        return f"names only a province ({origin.named.code}); give a regency or city"
    return "is not a known regency or city" + (" in that province" if province else "")


def from_api(data: Any) -> Report:
    """Check the JSON of `POST /api/v1/reports` (design.md); every problem is reported."""
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        raise ReportError({"body": "must be a JSON object"})
    _unknown(errors, "", data, _TOP)
    reporter = data.get("reporter")
    worker = data.get("worker") or {}
    if not isinstance(reporter, dict):
        errors["reporter"] = "is required (an object with at least phone)"
        reporter = {}
    if not isinstance(worker, dict):
        errors["worker"] = "must be an object"
        worker = {}
    _unknown(errors, "reporter.", reporter, _REPORTER)
    _unknown(errors, "worker.", worker, _WORKER)

    phone_raw = reporter.get("phone")
    phone = phones.normalise(phone_raw) if isinstance(phone_raw, str) else None
    if phone is None and "reporter" not in errors:
        errors["reporter.phone"] = "is required: a valid phone number, e.g. +6281234567890"
    language = _choice(errors, "reporter.language", reporter.get("language"), ("id", "en"), "id")
    relationship = _choice(
        errors,
        "reporter.relationship",
        reporter.get("relationship"),
        taxonomy.RELATIONSHIPS,
        "self",
    )
    gender = _choice(errors, "worker.gender", worker.get("gender"), taxonomy.GENDERS, "unspecified")

    category = data.get("category")
    if category not in taxonomy.CATEGORIES:
        errors["category"] = f"is required, one of {', '.join(taxonomy.CATEGORIES)}"

    country = worker.get("country")
    if country is not None:
        if not isinstance(country, str) or not taxonomy.is_country(country.upper()):
            errors["worker.country"] = "must be an ISO 3166-1 alpha-2 code, e.g. MY"
            country = None
        else:
            country = country.upper()

    province = worker.get("province")
    if province is not None:
        match = places.province(province) if isinstance(province, str) else None
        if match is None:
            errors["worker.province"] = "must be an ISO 3166-2 code of a province, e.g. ID-JI"
        province = match.code if match else None

    regency = regency_code = None
    regency_raw = _text(errors, "worker.regency", worker.get("regency"), 100)
    if regency_raw:
        origin = parse_origin(regency_raw, within=province)
        if origin.regency is None or origin.conflict:
            errors["worker.regency"] = _origin_error(origin, province)
        else:
            regency, regency_code = origin.regency.name, origin.regency.code
            province = origin.regency.province_code

    worker_phone = None
    wp_raw = worker.get("phone")
    if wp_raw is not None:
        if isinstance(wp_raw, str):
            worker_phone = (
                phones.normalise_for_country(wp_raw, country) if country else None
            ) or phones.normalise(wp_raw)
        if worker_phone is None:
            errors["worker.phone"] = "is not a valid phone number"

    organisation = _text(errors, "organisation", data.get("organisation"), 40)
    channel = _choice(errors, "channel", data.get("channel"), CHANNELS, "desk")
    report = Report(
        reporter_phone=phone or "",
        category=category if isinstance(category, str) else "",
        channel=channel,
        reporter_name=_text(errors, "reporter.name", reporter.get("name")),
        relationship=relationship,
        language=language,
        sms_safe=_bool(errors, "reporter.sms_safe", reporter.get("sms_safe")),
        worker_name=_text(errors, "worker.name", worker.get("name")),
        worker_gender=gender,
        worker_phone=worker_phone,
        country=country,
        province=province,
        regency=regency,
        regency_code=regency_code,
        description=_text(errors, "description", data.get("description"), MAX_DESCRIPTION),
        organisation=organisation,
        consent_to_share=_bool(errors, "consent", data.get("consent")),
    )
    if errors:
        raise ReportError(errors)
    return report
