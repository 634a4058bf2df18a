"""Checks the Buddy Scheme's iCalendar output with an independent parser
(Python's `icalendar`), as a student's or buddy's calendar app would read
it: a series crossing the October clock change, a moved meeting (same UID,
higher SEQUENCE), a cancelled one (STATUS:CANCELLED), the join link as URL
and LOCATION, each event's end from the meeting's length, its organiser and
attendees, one meeting's own invitation (METHOD:REQUEST) and cancellation
(METHOD:CANCEL) under the same UID, and a personal subscription read without a bearer token until
it is revoked. Run by scripts/clients against a live instance with demo data.
"""

import datetime as dt
import os
import sys
import uuid
from zoneinfo import ZoneInfo

import httpx
from icalendar import Calendar

BASE = os.environ.get("PEERLOG_URL", "http://127.0.0.1:8080")
LONDON = ZoneInfo("Europe/London")
LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_calendar_story%40thread.v2/0"
steps = 0


def check(condition: bool, what: str) -> None:
    global steps
    if not condition:
        print(f"calendar story: FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    steps += 1
    print(f"  ok  {what}")


def sign_in(username: str, password: str = "peerlog-demo") -> httpx.Client:
    res = httpx.post(f"{BASE}/api/v1/auth/token", json={"username": username, "password": password})
    res.raise_for_status()
    token = res.json()["access_token"]
    return httpx.Client(base_url=BASE, headers={"authorization": f"Bearer {token}"})


def ok(res: httpx.Response, status: int = 200) -> dict:
    if res.status_code != status:
        print(res.status_code, res.text, file=sys.stderr)
    check(res.status_code == status, f"{res.request.method} {res.request.url.path} answered {status}")
    return res.json() if res.content and res.headers.get("content-type", "").endswith("json") else {}


def events(text: str) -> dict:
    calendar = Calendar.from_ical(text)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


admin = sign_in("admin")
coordinator = sign_in("coordinator")
suffix = uuid.uuid4().hex[:8]
password = f"calendar-story-{suffix}"
account = ok(admin.post("/api/v1/users", json={
    "username": f"student-{suffix}", "display_name": "Calendar Student",
    "role": "buddy_student", "password": password}), 201)
cohort = ok(coordinator.post("/api/v1/buddy/cohorts", json={
    "name": f"OT {suffix}", "institution": "University of Exampleton",
    "discipline": "occupational_therapy", "starts_on": "2027-09-01", "ends_on": "2028-06-30"}), 201)
student = ok(coordinator.post("/api/v1/buddy/students", json={
    "cohort_id": cohort["id"], "full_name": "Calendar Student",
    "email": f"cal-{suffix}@uni.example.ac.uk", "user_id": account["id"]}), 201)
buddy = ok(coordinator.post("/api/v1/buddy/buddies", json={
    "full_name": "Robin Hart", "buddy_type": "service_user", "volunteer_status": "registered",
    "volunteer_verified_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(), "capacity": 1}), 201)
pairing = ok(coordinator.post("/api/v1/buddy/pairings", json={
    "student_id": student["id"], "buddy_id": buddy["id"], "planned_meetings": 4}), 201)
ok(coordinator.post(f"/api/v1/buddy/pairings/{pairing['id']}/status", json={"status": "active"}))

# 10:00 in London each time: BST before the clock change on 31 October
# 2027, GMT after it.
planned = [
    (dt.datetime(2027, 10, 22, 10, 0, tzinfo=LONDON), {"mode": "online_video", "link": LINK}),
    (dt.datetime(2027, 11, 5, 10, 0, tzinfo=LONDON), {"mode": "in_person", "place": "Recovery College, room 2"}),
    (dt.datetime(2027, 11, 12, 10, 0, tzinfo=LONDON), {"mode": "online_video", "link": LINK}),
    (dt.datetime(2027, 11, 19, 10, 0, tzinfo=LONDON), {"mode": "telephone", "length_minutes": 45}),
]
ids = []
for when, where in planned:
    body = {"planned_at": when.astimezone(dt.timezone.utc).isoformat(), "topic": "introductions", **where}
    ids.append(ok(coordinator.post(f"/api/v1/buddy/pairings/{pairing['id']}/meetings", json=body), 201)["id"])

path = f"/api/v1/buddy/pairings/{pairing['id']}/meetings.ics"
first = coordinator.get(path)
check(first.status_code == 200 and first.headers["content-type"].startswith("text/calendar"), "the series is text/calendar")
before = events(first.text)
check(len(before) == 4, "one event per meeting")
uid = [f"{m}@peerlog" for m in ids]
check(set(before) == set(uid), "UIDs are the meetings' ids")
for (when, _), u in zip(planned, uid):
    start = before[u]["DTSTART"].dt
    check(start == when, f"{u[:8]}… starts at {when.isoformat()} (London)")
    check(start.astimezone(LONDON).hour == 10, f"{u[:8]}… is 10:00 in London either side of the clock change")
check(before[uid[0]]["DTSTART"].dt.utcoffset() == dt.timedelta(0), "times are written in UTC")
check(str(before[uid[0]]["URL"]) == LINK and str(before[uid[0]]["LOCATION"]) == LINK, "the link is URL and LOCATION")
check(str(before[uid[1]]["LOCATION"]) == "Recovery College, room 2", "an in-person meeting has its place")
check(all(int(e["SEQUENCE"]) == 0 for e in before.values()), "new events have SEQUENCE 0")
check(before[uid[0]]["DTEND"].dt - before[uid[0]]["DTSTART"].dt == dt.timedelta(hours=1), "a meeting with no length given lasts an hour")
check(before[uid[3]]["DTEND"].dt - before[uid[3]]["DTSTART"].dt == dt.timedelta(minutes=45), "a 45-minute meeting ends 45 minutes after it starts")
organiser = before[uid[0]]["ORGANIZER"]
check(organiser.params["CN"] == "Casey Coordinator" and str(organiser).startswith("urn:uuid:"), "the coordinator organises (no email address held)")
attendees = before[uid[0]]["ATTENDEE"]
check([a.params["CN"] for a in attendees] == ["Calendar Student", "Robin Hart"], "the student and the buddy attend")
check(str(attendees[0]) == f"mailto:cal-{suffix}@uni.example.ac.uk", "the student by their email address")
check(str(before[uid[1]]["LOCATION"]) == "Recovery College, room 2", "an escaped comma reads back")
invite = coordinator.get(f"/api/v1/buddy/meetings/{ids[2]}/calendar.ics")
check(invite.headers["content-type"] == "text/calendar; charset=utf-8; method=REQUEST", "one meeting is an invitation")
check(str(Calendar.from_ical(invite.text)["METHOD"]) == "REQUEST", "METHOD:REQUEST")

# Move the third meeting to the afternoon; cancel the fourth.
moved_to = dt.datetime(2027, 11, 12, 14, 0, tzinfo=LONDON)
ok(coordinator.patch(f"/api/v1/buddy/meetings/{ids[2]}", json={"planned_at": moved_to.isoformat()}))
ok(coordinator.patch(f"/api/v1/buddy/meetings/{ids[3]}", json={"status": "cancelled_by_coordinator"}))
after = events(coordinator.get(path).text)
check(set(after) == set(uid), "a re-import finds the same UIDs (updates, no duplicates)")
check(after[uid[2]]["DTSTART"].dt == moved_to and int(after[uid[2]]["SEQUENCE"]) == 1, "the moved meeting has its new time and SEQUENCE 1")
check(str(after[uid[3]]["STATUS"]) == "CANCELLED" and int(after[uid[3]]["SEQUENCE"]) == 1, "the cancelled meeting says CANCELLED")
check(str(after[uid[0]]["STATUS"]) == "CONFIRMED" and int(after[uid[0]]["SEQUENCE"]) == 0, "untouched meetings are unchanged")
moved = Calendar.from_ical(coordinator.get(f"/api/v1/buddy/meetings/{ids[2]}/calendar.ics").text)
check(str(moved["METHOD"]) == "REQUEST" and int(events(moved.to_ical())[uid[2]]["SEQUENCE"]) == 1, "the moved meeting's invitation is re-sent with SEQUENCE 1")
cancel = Calendar.from_ical(coordinator.get(f"/api/v1/buddy/meetings/{ids[3]}/calendar.ics").text)
cancelled = events(cancel.to_ical())
check(str(cancel["METHOD"]) == "CANCEL" and set(cancelled) == {uid[3]}, "the cancelled meeting's own calendar is METHOD:CANCEL, same UID")
check(str(cancelled[uid[3]]["STATUS"]) == "CANCELLED" and int(cancelled[uid[3]]["SEQUENCE"]) == 1, "its cancellation says CANCELLED, SEQUENCE 1")

# The student's own subscription: no bearer token, until revoked.
me = sign_in(f"student-{suffix}", password)
sub = ok(me.put("/api/v1/buddy/calendar-subscription"))
feed = httpx.get(f"{BASE}{sub['path']}")
check(feed.status_code == 200 and set(events(feed.text)) == set(uid), "the subscription URL serves the student's meetings")
other = sign_in("student")
check(other.get(path).status_code == 404, "another student cannot read this pairing's calendar")
check(me.delete("/api/v1/buddy/calendar-subscription").status_code == 204, "the student revokes the subscription")
check(httpx.get(f"{BASE}{sub['path']}").status_code == 404, "a revoked subscription answers 404")

print(f"calendar story: {steps} steps passed")
