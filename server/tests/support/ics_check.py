#!/usr/bin/env python3
"""Checks Aula's .ics files with an independent iCalendar implementation.

For every NAME.ics in the directories given as arguments (written by the `ics_sample` example,
or captured by the integration tests from a real invitation e-mail and a served feed, beside
NAME.json holding the occurrences Aula computed), this script:

- checks the raw bytes: CRLF line ends only, no line longer than 75 octets, UNTIL in UTC (`Z`);
- parses the file with Python's `icalendar` (PyPI) and reports any property it could not read;
- checks that texts (SUMMARY, DESCRIPTION) and DURATION read back as Aula wrote them;
- expands each RRULE with `dateutil` from the DTSTART the parser read (zone from the tz
  database) and compares the instants with Aula's occurrences, one by one;
- rebuilds each zone from the file's own VTIMEZONE (not the tz database) and checks that it shows
  every occurrence at the same local time as the tz database, so clients that trust the
  VTIMEZONE agree too.

Exits 1 with the differences on any mismatch.
"""

import json
import re
import sys
from itertools import islice
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
from dateutil.rrule import rrulestr

MAX_OCTETS = 75
problems: list[str] = []


def fail(where: str, message: str) -> None:
    problems.append(f"{where}: {message}")


def check_bytes(name: str, data: bytes) -> None:
    if not data.endswith(b"\r\n"):
        fail(name, "the file does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], start=1):
        if b"\n" in line or b"\r" in line:
            fail(name, f"line {number} has a bare CR or LF: {line[:60]!r}")
        if len(line) > MAX_OCTETS:
            fail(name, f"line {number} is {len(line)} octets long: {line[:60]!r}")
    unfolded = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8")
    for line in unfolded.split("\r\n"):
        if line.startswith("RRULE") and "UNTIL=" in line:
            if not re.search(r"UNTIL=\d{8}T\d{6}Z(;|$)", line):
                fail(name, f"UNTIL is not a UTC date-time: {line}")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def custom_zones(cal: icalendar.Calendar) -> dict:
    """Each VTIMEZONE of the file turned into a tzinfo built from the file alone."""
    return {
        str(vtz["TZID"]): vtz.to_tz(lookup_tzid=False) for vtz in cal.walk("VTIMEZONE")
    }


# Every property Aula writes in an event; anything else was smuggled in through a text value.
EVENT_PROPERTIES = {
    "UID", "DTSTAMP", "SEQUENCE", "DTSTART", "RRULE", "DURATION", "SUMMARY", "DESCRIPTION",
    "URL", "ORGANIZER", "ATTENDEE", "STATUS",
}


def check_event(where: str, event, expected: dict, zones: dict) -> None:
    foreign = sorted(set(event.keys()) - EVENT_PROPERTIES)
    if foreign:
        fail(where, f"properties Aula never writes: {foreign}")
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    if len(attendees) != expected.get("attendees", len(attendees)):
        fail(where, f"{len(attendees)} ATTENDEEs, Aula wrote {expected['attendees']}")
    summary, description = str(event.get("SUMMARY", "")), str(event.get("DESCRIPTION", ""))
    if summary != expected["summary"]:
        fail(where, f"SUMMARY reads {summary!r}, Aula wrote {expected['summary']!r}")
    # Captured files (see ics_check.sh) say only what the test knows; samples say everything.
    if "description" in expected and description != expected["description"]:
        fail(where, f"DESCRIPTION reads {description!r}, Aula wrote {expected['description']!r}")
    if event.decoded("DURATION") != timedelta(seconds=expected["duration"]):
        fail(where, f"DURATION reads {event.decoded('DURATION')}")
    start = event.decoded("DTSTART")
    if not isinstance(start, datetime) or start.tzinfo is None:
        fail(where, f"DTSTART is not an instant: {start!r}")
        return
    want = expected["occurrences"]
    if "RRULE" not in event:
        if event["DTSTART"].params.get("TZID") or start.utcoffset() != timedelta(0):
            fail(where, "a single event must be written in UTC")
        if [epoch(start)] != want:
            fail(where, f"DTSTART {start.isoformat()} is not Aula's {want}")
        return
    rule = event["RRULE"].to_ical().decode()
    # Expanded the way calendar clients do: wall-clock times in the DTSTART's zone.
    got = [epoch(d) for d in islice(rrulestr(rule, dtstart=start), len(want) + 1)]
    compare(where, "dateutil with the tz database", got, want, expected["tz"])
    tzid = event["DTSTART"].params.get("TZID")
    if tzid is None:
        if start.utcoffset() != timedelta(0):
            fail(where, "a series without TZID must be written in UTC")
        return
    if tzid not in zones:
        fail(where, f"no VTIMEZONE for TZID {tzid}")
        return
    own, database = zones[tzid], start.tzinfo
    # A client that trusts the file's VTIMEZONE must see each session at the same local time as
    # the tz database shows it (start and end; converting instants, which is never ambiguous).
    for ts in want:
        for moment in (ts, ts + expected["duration"]):
            mine = datetime.fromtimestamp(moment, own).replace(tzinfo=None)
            real = datetime.fromtimestamp(moment, database).replace(tzinfo=None)
            if mine != real:
                fail(where, f"the VTIMEZONE puts {moment} at {mine}, the tz database at {real}")
                return


def compare(where: str, how: str, got: list, want: list, tz: str) -> None:
    if got == want:
        return
    show = lambda ts: datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")
    missing = [show(t) for t in want if t not in got][:5]
    extra = [show(t) for t in got if t not in want][:5]
    fail(
        where,
        f"{how} gives {len(got)} occurrences, Aula {len(want)} ({tz}); "
        f"missing in the calendar: {missing}; only in the calendar: {extra}",
    )


def check_calendar_name(name: str, raw, expected: str) -> None:
    """One X-WR-CALNAME whose text, unescaped, is the course's name.

    icalendar keeps X- properties as raw `vUnknown`, so the TEXT escapes (RFC 5545 3.3.11) are
    undone here; a name with a line break must come back as one value, never as a second property.
    """
    if isinstance(raw, list):
        fail(name, f"{len(raw)} X-WR-CALNAME properties: {raw!r}")
        return
    if raw is None:
        fail(name, "no X-WR-CALNAME")
        return
    text = raw.to_ical()
    text = text.decode() if isinstance(text, bytes) else text
    # Undone by hand: icalendar 7.3's vText.from_ical leaves `\n` as it is.
    value = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)
    if value != expected:
        fail(name, f"X-WR-CALNAME reads {value!r}, expected {expected!r}")


def check_file(path: Path) -> int:
    name = path.name
    data = path.read_bytes()
    check_bytes(name, data)
    expected = json.loads(path.with_suffix(".json").read_text())
    try:
        cal = icalendar.Calendar.from_ical(data)
        zones = custom_zones(cal)
    except Exception as error:
        fail(name, f"icalendar cannot read it: {type(error).__name__}: {error}")
        return 0
    for component in cal.walk():
        for error in getattr(component, "errors", []):
            fail(name, f"{component.name} could not be parsed: {error}")
    if "calendar_name" in expected:
        check_calendar_name(name, cal.get("X-WR-CALNAME"), expected["calendar_name"])
    method = expected.get("method")
    if method and str(cal.get("METHOD", "")).lower() != method.lower():
        fail(name, f"METHOD is {cal.get('METHOD')!r}, expected {method}")
    events = cal.walk("VEVENT")
    seen = set()
    for event in events:
        uid = str(event.get("UID"))
        seen.add(uid)
        if uid not in expected["events"]:
            fail(name, f"unexpected event {uid}")
            continue
        if method == "Request" and "ORGANIZER" not in event:
            fail(f"{name} {uid}", "an invitation needs an ORGANIZER")
        try:
            check_event(f"{name} {uid}", event, expected["events"][uid], zones)
        except Exception as error:  # the parser refusing a value is a finding, not a crash
            fail(f"{name} {uid}", f"{type(error).__name__}: {error}")
    for uid in expected["events"]:
        if uid not in seen:
            fail(name, f"event {uid} is missing")
    return len(events)


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: ics_check.py <directory of .ics and .json samples>...", file=sys.stderr)
        return 2
    files = []
    for directory in sys.argv[1:]:
        found = sorted(Path(directory).glob("*.ics"))
        if not found:
            print(f"ics check FAILED: no .ics files in {directory}", file=sys.stderr)
            return 1
        files += found
    events = sum(check_file(path) for path in files)
    if problems:
        print("ics check FAILED:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        f"icalendar {icalendar.__version__} read {len(files)} calendars ({events} events); "
        "every RRULE expands to Aula's occurrences, and the files' VTIMEZONEs match the tz database"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
