"""A trust integration team's first script, written against the Python
client that openapi-python-client generates from openapi/openapi.json and
nothing else: sign in, record three kinds, amend one with its ETag, mark one
entered in error, read its history, list the ward's page, fetch the activity
summary. Run by scripts/clients against a live instance; exits non-zero on
the first step that does not do what the document promises.

    PEERLOG_URL=http://127.0.0.1:8080 PYTHONPATH=<generated> python story.py
"""

import datetime as dt
import os
import sys
import uuid

from peerlog_client import AuthenticatedClient, Client
from peerlog_client.api.activities import (
    activity_history,
    amend_activity,
    create_activity,
    get_activity,
    list_activities,
    void_activity,
)
from peerlog_client.api.auth import me, token
from peerlog_client.api.reports import activity_summary_report
from peerlog_client.api.service_users import list_service_users
from peerlog_client.models import (
    ActivityAmendment,
    GroupActivity,
    GroupFormat,
    GroupSession,
    NewGroupSessionActivity,
    NewGroupSessionActivityKind,
    NewOneToOneActivity,
    NewOneToOneActivityKind,
    NewStaffSupportActivity,
    NewStaffSupportActivityKind,
    OneToOne,
    OneToOneActivity,
    Problem,
    StaffSupport,
    StaffSupportReason,
    TokenRequest,
    Topic,
    VoidRequest,
)

BASE = os.environ.get("PEERLOG_URL", "http://127.0.0.1:8080")
steps = 0


def check(condition: bool, what: str) -> None:
    global steps
    if not condition:
        print(f"python client story: FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    steps += 1
    print(f"  ok  {what}")


# Sign in as the demo team leader (records, amends and reads team reports).
signed_in = token.sync(
    client=Client(base_url=BASE),
    body=TokenRequest(username="leader", password="peerlog-demo"),
)
check(not isinstance(signed_in, Problem) and signed_in is not None, "signed in")
client = AuthenticatedClient(base_url=BASE, token=signed_in.access_token)

caller = me.sync(client=client)
ward = next(w for w in caller.wards if w.code == "ADULT-ASH")
check(ward is not None, "the leader's wards include ADULT-ASH")
people = list_service_users.sync(client=client, ward_id=ward.id)
check(len(people.items) >= 2, "the ward's service users are listed")

start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(hours=2)
one_to_one = NewOneToOneActivity(
    kind=NewOneToOneActivityKind.ONE_TO_ONE,
    id=uuid.uuid4(),
    ward_id=ward.id,
    started_at=start,
    duration_minutes=30,
    service_user_ids=[people.items[0].id],
    note="Talked through discharge worries.",
    details=OneToOne(topics=[Topic.LISTENING, Topic.DISCHARGE_WORRIES]),
)
group = NewGroupSessionActivity(
    kind=NewGroupSessionActivityKind.GROUP_SESSION,
    id=uuid.uuid4(),
    ward_id=ward.id,
    started_at=start,
    duration_minutes=60,
    service_user_ids=[p.id for p in people.items[:2]],
    details=GroupSession(
        activity=GroupActivity.MUSIC, format_=GroupFormat.GROUP_SESSION, unnamed_attendees=3
    ),
)
staff = NewStaffSupportActivity(
    kind=NewStaffSupportActivityKind.STAFF_SUPPORT,
    id=uuid.uuid4(),
    ward_id=ward.id,
    started_at=start,
    duration_minutes=15,
    details=StaffSupport(reason=StaffSupportReason.OVERWHELMED, staff_count=1),
)
for body in (one_to_one, group, staff):
    res = create_activity.sync_detailed(client=client, body=body)
    check(res.status_code == 201, f"recorded a {body.kind.value} activity (201)")
    check(str(res.parsed.id) == str(body.id), f"the {body.kind.value} kept the client's id")

# Amend the one-to-one with the ETag it was read with.
read = get_activity.sync_detailed(one_to_one.id, client=client)
check(isinstance(read.parsed, OneToOneActivity), "read back as a OneToOneActivity")
etag = read.headers["etag"]
amended = amend_activity.sync_detailed(
    one_to_one.id,
    client=client,
    if_match=etag,
    body=ActivityAmendment(reason="Added the outcome", note="Agreed to try the breathing exercise."),
)
check(amended.status_code == 200 and amended.parsed.version == 2, "amended with If-Match (version 2)")
stale = amend_activity.sync_detailed(
    one_to_one.id, client=client, if_match=etag, body=ActivityAmendment(reason="Again", note="x")
)
check(stale.status_code == 412 and isinstance(stale.parsed, Problem), "a stale ETag is refused (412)")

# Mark the staff-support record entered in error.
voided = void_activity.sync_detailed(
    staff.id, client=client, body=VoidRequest(reason="Recorded on the wrong ward")
)
check(voided.status_code == 200 and voided.parsed.status.value == "entered_in_error", "entered in error")

history = activity_history.sync(one_to_one.id, client=client)
check([v.version for v in history.items] == [1, 2], "history has both versions")
check(history.items[0].snapshot.note == "Talked through discharge worries.", "version 1 kept its note")

page = list_activities.sync(client=client, ward_id=ward.id, limit=200)
listed = {str(a.id) for a in page.items}
check(str(one_to_one.id) in listed and str(group.id) in listed, "the ward's page lists the new records")
check(str(staff.id) not in listed, "the voided record left the default list")

today = dt.date.today()
summary = activity_summary_report.sync(
    client=client, from_=today - dt.timedelta(days=1), to=today + dt.timedelta(days=1), ward_id=ward.id
)
check(summary is not None and not isinstance(summary, Problem), "the activity summary answers JSON")
check(summary.rows[0].activities >= 2, "the summary counts the new records")

print(f"python client story: {steps} steps passed")
