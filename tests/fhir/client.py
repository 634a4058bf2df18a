"""Drives peerlog's FHIR API with a real FHIR client (fhirpy), as a trust's
integration engine would, and writes every resource it read to an NDJSON
file for validate.mjs.

Usage: client.py BASE_URL OUT.ndjson   (a server with PEERLOG_DEMO=1)

It records one activity of every kind on a ward through the REST API (and
voids one), registers a person with an NHS number and one without, then
with fhirpy: searches Encounters on the ward and pages through every
`next` link, searches Procedures and entered-in-error records, reads every
Patient, Location, Practitioner, PractitionerRole and the Organization
referred to, reads a version and a history, and calls Patient/$everything.
The people's answers to measures (given through the REST API as the tablet
does) are read as QuestionnaireResponses and Observations by the trust's
integration account, and refused to a worker.
"""

import json
import sys
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ForbiddenError

BASE, OUT = sys.argv[1].rstrip("/"), sys.argv[2]
KINDS = [
    "escorted_leave", "one_to_one", "advocacy", "group_session", "de_escalation",
    "crisis_support", "suicide_prevention", "wellbeing", "ward_review_support",
    "discharge_support", "awareness", "staff_support",
]


def rest(method, path, token=None, body=None):
    req = urllib.request.Request(BASE + path, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(req, data) as res:
        return json.load(res)


def token(username):
    body = {"username": username, "password": "peerlog-demo"}
    return rest("POST", "/api/v1/auth/token", body=body)["access_token"]


admin, psw, integration = token("admin"), token("psw"), token("integration")
ward = next(w for w in rest("GET", "/api/v1/wards?limit=200", admin)["items"] if w["code"] == "ADULT-ASH")
rest("PATCH", f"/api/v1/wards/{ward['id']}", admin, {"ods_site_code": "RX4E4"})
person = lambda ref, nhs: rest("PUT", f"/api/v1/service-users/{ref}", integration, {
    "display_label": "F.H.", "ward_id": ward["id"], "admitted_on": "2026-11-01",
    **({"nhs_number": nhs} if nhs else {}),
})["id"]
with_nhs, without_nhs = person("FHIR-NHS-1", "9434765919"), person("FHIR-NONHS-1", None)

start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=3)
at = lambda m: (start + timedelta(minutes=m)).isoformat().replace("+00:00", "Z")
DETAILS = {
    "escorted_leave": ({"authorisation": "section_17", "authorised_by": "Dr Patel (RC)", "destination": "shops",
                        "departed_at": at(5), "returned_at": at(50), "returned_as_planned": True, "incident": False}, [with_nhs]),
    "one_to_one": ({"topics": ["hearing_voices", "discharge_worries"]}, [without_nhs]),
    "advocacy": ({"setting": "ward_review", "mode": "supporting_self_advocacy", "outcome": "views_heard"}, [with_nhs]),
    "group_session": ({"activity": "music", "format": "group_session", "unnamed_attendees": 4}, [with_nhs, without_nhs]),
    "de_escalation": ({"situation": "between_service_users", "approaches": ["verbal_calming"], "restraint_avoided": True,
                       "staff_called": False, "outcome": "resolved"}, [with_nhs, without_nhs]),
    "crisis_support": ({"presentation": "panic_attack", "approaches": ["breathing"], "staff_informed": True}, [with_nhs]),
    "suicide_prevention": ({"escalated_to": "Charge nurse J. Okafor", "escalated_at": at(40), "safety_plan_discussed": True}, [without_nhs]),
    "wellbeing": ({"focus": ["eating"]}, [with_nhs]),
    "ward_review_support": ({"support": ["preparing_questions"], "home_leave_recommended": False}, [with_nhs]),
    "discharge_support": ({"focus": ["housing"], "home_leave_recommended": True}, [without_nhs]),
    "awareness": ({"topic": "lgbtq_plus", "audience": "mixed", "attendees": 6}, []),
    "staff_support": ({"reason": "overwhelmed", "staff_count": 2}, []),
}
recorded = {}
for i, kind in enumerate(KINDS):
    details, people = DETAILS[kind]
    recorded[kind] = rest("POST", "/api/v1/activities", psw, {
        "id": str(uuid.uuid4()), "ward_id": ward["id"], "kind": kind, "started_at": at(i),
        "duration_minutes": 60, "service_user_ids": people, "note": "Recorded for the FHIR test.", "details": details,
    })
# The people's own answers after a contact, and outcome measures.
answer = lambda body: rest("POST", "/api/v1/measure-responses", psw, {
    "id": str(uuid.uuid4()), "completed_at": at(70), **body})
answer({"measure": "your_say", "service_user_id": with_nhs, "activity_id": recorded["wellbeing"]["id"],
        "answers": {"items": {"experience": 5, "listened": 2}}})
answer({"measure": "ons4", "service_user_id": with_nhs,
        "answers": {"items": {"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": 3}}})
answer({"measure": "gbo", "service_user_id": with_nhs, "answers": {"goals": [{"goal": 1, "rating": 4}, {"goal": 2, "rating": 6}]}})
answer({"measure": "your_say", "service_user_id": without_nhs, "activity_id": recorded["one_to_one"]["id"], "declined": True})
voided = recorded["crisis_support"]["id"]
rest("POST", f"/api/v1/activities/{voided}/entered-in-error", psw, {"reason": "Recorded in error"})

# From here on, only the FHIR client.
client = SyncFHIRClient(f"{BASE}/fhir/R4", authorization=f"Bearer {psw}")
found = {}


def keep(resource):
    r = resource.serialize() if hasattr(resource, "serialize") else resource
    found[(r["resourceType"], r["id"], r.get("meta", {}).get("versionId"))] = r
    return r


search = client.resources("Encounter").search(location=f"Location/{ward['id']}").limit(3)
encounters = [keep(e) for e in search.fetch_all()]  # follows every next link
kinds_seen = {e["type"][0]["coding"][0]["code"] for e in encounters}
expected = set(KINDS) - {"staff_support", "crisis_support"}
assert expected <= kinds_seen, f"kinds missing from the Encounter pages: {expected - kinds_seen}"
ids = [e["id"] for e in encounters]
assert len(ids) == len(set(ids)), "a page repeated an Encounter"
first_page = client.resources("Encounter").search(location=f"Location/{ward['id']}").limit(3).fetch_raw()
assert any(link["relation"] == "next" for link in first_page["link"]), "no next link on a full page"

eie = client.resources("Encounter").search(status="entered-in-error").fetch_all()
assert voided in [e["id"] for e in eie], eie
keep(eie[0])
for p in client.resources("Procedure").search(location=f"Location/{ward['id']}").limit(50).fetch_all():
    keep(p)
for p in client.resources("Procedure").search(status="entered-in-error").fetch_all():
    keep(p)
    assert p["status"] == "entered-in-error"
for kind in ("group_session", "awareness", "de_escalation"):
    keep(client.reference("Group", recorded[kind]["id"]).to_resource())

refs = set()
for r in list(found.values()):
    for key in ("subject", "serviceProvider", "location"):
        v = r.get(key)
        for item in (v if isinstance(v, list) else [v]):
            ref = (item or {}).get("location", item or {}).get("reference")
            if ref:
                refs.add(ref)
    for part in r.get("participant", []):
        refs.add(part["individual"]["reference"])
    for m in r.get("member", []):
        refs.add(m["entity"]["reference"])
for ref in sorted(refs):
    rtype, rid = ref.split("/")
    keep(client.reference(rtype, rid).to_resource())
    if rtype == "Practitioner":
        keep(client.reference("PractitionerRole", rid).to_resource())

patients = {k[1]: r for k, r in found.items() if k[0] == "Patient"}
assert patients[with_nhs]["identifier"][0]["system"] == "https://fhir.nhs.uk/Id/nhs-number"
assert all(i["system"] != "https://fhir.nhs.uk/Id/nhs-number" for i in patients[without_nhs]["identifier"])
location = client.reference("Location", ward["id"]).to_resource()
assert location["identifier"][0]["value"] == "RX4E4"
roles = [r for k, r in found.items() if k[0] == "PractitionerRole"]
assert any(r["code"][0]["coding"][0]["code"] == "peer-support-worker" for r in roles)

# A version and a history, after an amendment.
one = recorded["one_to_one"]
req = urllib.request.Request(f"{BASE}/api/v1/activities/{one['id']}", method="PATCH",
                             data=json.dumps({"note": "Amended.", "reason": "typo"}).encode())
for k, v in {"content-type": "application/json", "authorization": f"Bearer {psw}", "if-match": '"v1"'}.items():
    req.add_header(k, v)
urllib.request.urlopen(req).read()
history = client.execute(f"Encounter/{one['id']}/_history", method="get")
assert history["type"] == "history" and history["total"] == 2
for e in history["entry"]:
    keep(e["resource"])
v1 = client.execute(f"Procedure/{one['id']}/_history/1", method="get")
assert v1["meta"]["versionId"] == "1" and v1["note"][0]["text"] == "Recorded for the FHIR test."
keep(v1)

# Answers are the trust systems' to read, never the ward's.
try:
    client.resources("QuestionnaireResponse").fetch()
    raise AssertionError("a worker read people's individual answers")
except ForbiddenError as refused:
    assert "forbidden" in str(refused), refused
epr = SyncFHIRClient(f"{BASE}/fhir/R4", authorization=f"Bearer {integration}")
responses = [keep(r) for r in epr.resources("QuestionnaireResponse").search(patient=f"Patient/{with_nhs}").fetch_all()]
assert sorted(r["questionnaire"].split("/")[-1] for r in responses) == ["gbo|1", "ons4|1", "your_say|1"], responses
scores = [keep(o) for o in epr.resources("Observation").search(subject=f"Patient/{with_nhs}").fetch_all()]
ons4 = next(o for o in scores if o["code"]["coding"][0]["code"] == "ons4")
low_anxiety = next(c for c in ons4["component"] if c["code"]["coding"][0]["code"] == "ons4.low_anxiety")
assert low_anxiety["valueQuantity"]["value"] == 7, low_anxiety  # anxiety 3, reverse-scored on 0-10
stopped = epr.resources("QuestionnaireResponse").search(patient=f"Patient/{without_nhs}").fetch_all()
assert [keep(r)["status"] for r in stopped] == ["stopped"], stopped
assert not epr.resources("Observation").search(patient=f"Patient/{without_nhs}").fetch_all()

everything = SyncFHIRClient(f"{BASE}/fhir/R4", authorization=f"Bearer {integration}").execute(
    f"Patient/{with_nhs}/$everything", method="get")
assert everything["type"] == "collection"
carried = {e["resource"]["resourceType"] for e in everything["entry"]}
assert {"QuestionnaireResponse", "Observation"} <= carried, carried
for e in everything["entry"]:
    keep(e["resource"])
capability = client.execute("metadata", method="get")
assert capability["resourceType"] == "CapabilityStatement" and capability["fhirVersion"] == "4.0.1"

with open(OUT, "w") as f:
    for r in found.values():
        f.write(json.dumps(r) + "\n")
counts = {}
for (t, _, _) in found:
    counts[t] = counts.get(t, 0) + 1
print("fhirpy read:", ", ".join(f"{t} {n}" for t, n in sorted(counts.items())))
print("1 passed, 0 failed")
