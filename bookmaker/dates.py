"""Dates as blogs write them -> timezone-aware datetimes; naive ones take the book's timezone.

Shapes: `2025-10-23`, `2025-10-23 10:00`, `2016-4-26 9:05:00 +0800`, ISO 8601 with an
offset or `Z`, `2025/10/23`, `2025年10月23日`, YAML/TOML date and datetime objects.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DATE = re.compile(
    r"""\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?
    (?:(?:[Tt]|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?
    \s*(?P<tz>[Zz]|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE,
)
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")
# `YYYY-MM-DD-slug.md`, `YYYY-MM-DD.md`, and Hugo bundle folders named the same way.
NAME_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[-_ ]|$)")


def parse(value: object, tz: tzinfo) -> datetime:
    """`value` (text or a date object) as an aware datetime; ValueError says what is wrong."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r} (write it as YYYY-MM-DD or YYYY-MM-DD HH:MM)")
    return _parse_text(value.strip().strip("\"'"), tz)


def _parse_text(text: str, tz: tzinfo) -> datetime:
    found = _DATE.match(text)
    if not found:
        raise ValueError(f"not a date: {text!r} (write it as YYYY-MM-DD or YYYY-MM-DD HH:MM)")
    g = found.groupdict()
    zone = offset(g["tz"]) if g["tz"] else tz
    fraction = int((g["f"] or "0")[:6].ljust(6, "0"))
    try:
        return datetime(
            int(g["y"]), int(g["m"]), int(g["d"]),
            int(g["H"] or 0), int(g["M"] or 0), int(g["S"] or 0), fraction,
            tzinfo=zone,
        )  # fmt: skip
    except ValueError as exc:
        raise ValueError(f"not a date: {text!r} ({exc})") from None


def offset(text: str) -> tzinfo:
    """`Z`, `+08:00`, `+0800`, `-5`, `UTC+8` -> a fixed-offset timezone."""
    text = text.strip()
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    found = _OFFSET.match(text)
    if not found:
        raise ValueError(f"not a time zone offset: {text!r}")
    sign, hours, minutes = found.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta >= timedelta(hours=24):
        raise ValueError(f"not a time zone offset: {text!r}")
    return timezone(-delta if sign == "-" else delta)


def zone(text: str) -> tzinfo:
    """The book's `timezone` setting: an offset (`+08:00`) or an IANA name (`Asia/Shanghai`)."""
    try:
        return offset(text)
    except ValueError:
        pass
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"not a time zone: {text!r} (use an offset such as +08:00 or a name such as "
            "Asia/Shanghai)"
        ) from None


def from_name(name: str, tz: tzinfo) -> datetime | None:
    """The date a file or folder name starts with, at midnight in `tz`; None if none or invalid."""
    found = NAME_DATE.match(name)
    if not found:
        return None
    try:
        return datetime(*(int(x) for x in found.groups()), tzinfo=tz)
    except ValueError:
        return None


def day(text: str) -> date:
    """A `since`/`until` bound: `YYYY-MM-DD`."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text)
    if not found:
        raise ValueError(f"not a date: {text!r} (write it as YYYY-MM-DD)")
    return date(*(int(x) for x in found.groups()))
