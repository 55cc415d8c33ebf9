"""Query parameters of lists, exports and statistics, checked: a bad one is a 400 that says
which and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from werkzeug.datastructures import MultiDict

from casebridge import places, taxonomy
from casebridge.access import Filters
from casebridge.status import STATUSES

from .errors import bad_request

FILTERS = ("status", "category", "country", "province", "organisation", "since", "until")
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    number: int
    size: int


def _moment(errors: dict, name: str, text: str, end: bool) -> datetime | None:
    """A date (a whole day; `until` includes it) or an ISO 8601 time (UTC when no zone)."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1 if end else 0), time(), UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        errors[name] = "must be a date (2024-05-31) or an ISO 8601 time (2024-05-31T08:00:00Z)"
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse(args: MultiDict, allowed: tuple[str, ...] = ()) -> Filters:
    """The filters in `args`; other parameters must be listed in `allowed`."""
    errors: dict[str, str] = {}
    for name in sorted(set(args) - set(FILTERS) - set(allowed)):
        errors[name] = "unknown parameter"
    for name in set(args):
        if len(args.getlist(name)) > 1:
            errors[name] = "give it once"
    value = {name: (args.get(name) or "").strip() or None for name in FILTERS}
    if value["status"] and value["status"] not in STATUSES:
        errors["status"] = f"must be one of {', '.join(STATUSES)}"
    if value["category"] and value["category"] not in taxonomy.CATEGORIES:
        errors["category"] = f"must be one of {', '.join(taxonomy.CATEGORIES)}"
    country = value["country"].upper() if value["country"] else None
    if country and not taxonomy.is_country(country):
        errors["country"] = "must be an ISO 3166-1 alpha-2 code, e.g. MY"
    province = places.province(value["province"].upper()) if value["province"] else None
    if value["province"] and province is None:
        errors["province"] = "must be an ISO 3166-2 code of a province, e.g. ID-JI"
    since = _moment(errors, "since", value["since"], end=False) if value["since"] else None
    until = _moment(errors, "until", value["until"], end=True) if value["until"] else None
    if since and until and since >= until:
        errors["until"] = "must be later than since"
    if errors:
        raise bad_request("some query parameters are wrong", errors)
    return Filters(
        status=value["status"],
        category=value["category"],
        country=country,
        province=province.code if province else None,
        organisation=value["organisation"],
        since=since,
        until=until,
    )


def only(args: MultiDict, allowed: tuple[str, ...]) -> None:
    """Refuse parameters other than `allowed`."""
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise bad_request(
            "some query parameters are wrong", {name: "unknown parameter" for name in unknown}
        )


def _int(errors: dict, args: MultiDict, name: str, default: int, high: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))) or not (
        1 <= int(raw) <= high
    ):
        errors[name] = f"must be a whole number from 1 to {high}"
        return default
    return int(raw)


def page(args: MultiDict) -> Page:
    errors: dict[str, str] = {}
    number = _int(errors, args, "page", 1, 1_000_000)
    size = _int(errors, args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    if errors:
        raise bad_request("some query parameters are wrong", errors)
    return Page(number, size)


def full_phones(args: MultiDict) -> bool:
    """`phones=full` asks for full numbers (given only where the caller may see them)."""
    value = args.get("phones", "masked")
    if value not in ("masked", "full"):
        raise bad_request("some query parameters are wrong", {"phones": "must be masked or full"})
    return value == "full"
