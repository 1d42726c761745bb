"""Every date shape real blogs use, as aware datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import yaml

from bookmaker import dates

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-23", "2025-10-23T00:00:00+08:00"),
        ("2025-10-23 10:00:00", "2025-10-23T10:00:00+08:00"),
        ("2025-10-23 10:00", "2025-10-23T10:00:00+08:00"),
        ("2016-4-26 9:05:00 +0800", "2016-04-26T09:05:00+08:00"),
        ("2025-10-23T10:00:00+09:00", "2025-10-23T10:00:00+09:00"),
        ("2025-10-23T02:00:00Z", "2025-10-23T02:00:00+00:00"),
        ("2025-10-23T10:00:00.250-05:00", "2025-10-23T10:00:00.250000-05:00"),
        ('"2025-10-23"', "2025-10-23T00:00:00+08:00"),
        ("2025/10/23", "2025-10-23T00:00:00+08:00"),
        ("2025年10月23日", "2025-10-23T00:00:00+08:00"),
        (date(2025, 10, 23), "2025-10-23T00:00:00+08:00"),
        (datetime(2025, 10, 23, 10), "2025-10-23T10:00:00+08:00"),
        (datetime(2025, 10, 23, 10, tzinfo=UTC), "2025-10-23T10:00:00+00:00"),
    ],
)
def test_shapes(value, expected):
    assert dates.parse(value, CST).isoformat() == expected


def test_yaml_date_objects():
    data = yaml.safe_load("a: 2025-10-23\nb: 2025-10-23 10:00:00\nc: 2025-10-23T10:00:00+09:00")
    got = [dates.parse(v, CST).isoformat() for v in data.values()]
    assert got == [
        "2025-10-23T00:00:00+08:00",
        "2025-10-23T10:00:00+08:00",
        "2025-10-23T10:00:00+09:00",
    ]


def test_mixed_shapes_compare_as_instants():
    a = dates.parse("2025-10-23 10:00:00", CST)
    b = dates.parse("2025-10-23T03:00:00Z", CST)
    assert a < b


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "2025-02-30", 2025, None])
def test_bad_dates_say_what_is_wrong(value):
    with pytest.raises(ValueError, match="not a date"):
        dates.parse(value, CST)


def test_timezone_setting():
    assert dates.zone("+08:00").utcoffset(None) == timedelta(hours=8)
    assert dates.zone("-0530").utcoffset(None) == -timedelta(hours=5, minutes=30)
    assert dates.parse("2025-01-01", dates.zone("Asia/Tokyo")).utcoffset() == timedelta(hours=9)
    with pytest.raises(ValueError, match="not a time zone"):
        dates.zone("Mars/Olympus")


def test_dates_from_names():
    assert dates.from_name("2025-10-23-hello", CST).isoformat() == "2025-10-23T00:00:00+08:00"
    assert dates.from_name("2025-10-23", CST) is not None
    assert dates.from_name("2025-13-45-oops", CST) is None
    assert dates.from_name("hello", CST) is None
