"""A trust's integration engine pulls peerlog's records as FHIR, the way
the HL7 Bulk Data Access IG and SMART Backend Services describe: its own
key pair, a signed client assertion, a token, an export, polling, NDJSON
downloads, then an incremental export from the first one's
transactionTime. Uses only requests and PyJWT (with cryptography), as an
integration team would; run by scripts/fhir-bulk-test against a live
instance with demo data.
"""

import json
import os
import sys
import time
import uuid

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

BASE = os.environ["PEERLOG_URL"].rstrip("/")
FHIR = f"{BASE}/fhir/R4"
WARD = "ADULT-ASH"


def check(condition, what):
    if not condition:
        print(f"[bulk_story] FAILED: {what}", file=sys.stderr)
        sys.exit(1)


def sign_in(username):
    res = requests.post(f"{BASE}/api/v1/auth/token",
                        json={"username": username, "password": "peerlog-demo"}, timeout=30)
    check(res.status_code == 200, f"sign in as {username}: {res.status_code} {res.text}")
    return {"authorization": f"Bearer {res.json()['access_token']}"}


def public_jwk(key, kid):
    numbers = key.public_key().public_numbers()

    def b64(n):
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return jwt.utils.base64url_encode(raw).decode()

    return {"kty": "RSA", "kid": kid, "alg": "RS384", "use": "sig", "n": b64(numbers.n), "e": b64(numbers.e)}


def assertion(key, kid, client_id, token_url, **overrides):
    claims = {"iss": client_id, "sub": client_id, "aud": token_url,
              "exp": int(time.time()) + 240, "jti": str(uuid.uuid4())}
    claims.update(overrides)
    return jwt.encode(claims, key, algorithm="RS384", headers={"kid": kid})


def token_request(token_url, signed, scope):
    return requests.post(token_url, data={
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": signed,
        "scope": scope,
    }, timeout=30)


def export(headers, query):
    res = requests.get(f"{FHIR}/$export{query}", timeout=30,
                       headers={**headers, "accept": "application/fhir+json", "prefer": "respond-async"})
    check(res.status_code == 202, f"kick-off: {res.status_code} {res.text}")
    status_url = res.headers["content-location"]
    for _ in range(600):
        res = requests.get(status_url, headers=headers, timeout=30)
        if res.status_code == 202:
            check("x-progress" in res.headers, "X-Progress while running")
            time.sleep(min(int(res.headers.get("retry-after", "1")), 1))
            continue
        check(res.status_code == 200, f"status: {res.status_code} {res.text}")
        return res.json()
    check(False, "the export did not complete in time")


def download(headers, manifest):
    resources = []
    for out in manifest["output"]:
        res = requests.get(out["url"], headers=headers, timeout=60, stream=True)
        check(res.status_code == 200, f"download {out['url']}: {res.status_code}")
        lines = [json.loads(line) for line in res.iter_lines() if line]
        check(len(lines) == out["count"], f"{out['type']}: {len(lines)} lines, manifest says {out['count']}")
        check(all(r["resourceType"] == out["type"] for r in lines), f"{out['type']} file holds only {out['type']}")
        resources.extend(lines)
    return resources


def main():
    admin = sign_in("admin")
    wards = requests.get(f"{BASE}/api/v1/wards?limit=200", headers=admin, timeout=30).json()["items"]
    ward = next(w for w in wards if w["code"] == WARD)

    # The engine's own key; peerlog only ever sees the public half.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "engine-2026"
    client_id = f"engine-{uuid.uuid4().hex[:8]}"
    res = requests.post(f"{BASE}/api/v1/integration-clients", headers=admin, timeout=30, json={
        "client_id": client_id, "display_name": "Integration engine",
        "jwks": {"keys": [public_jwk(key, kid)]},
        "scopes": ["system/Patient.rs", "system/Encounter.rs", "system/Procedure.rs",
                   "system/Group.rs", "system/Location.rs"],
        "ward_ids": [ward["id"]],
    })
    check(res.status_code == 201, f"register: {res.status_code} {res.text}")

    config = requests.get(f"{FHIR}/.well-known/smart-configuration", timeout=30).json()
    token_url = config["token_endpoint"]
    check("private_key_jwt" in config["token_endpoint_auth_methods_supported"], "private_key_jwt offered")
    check("RS384" in config["token_endpoint_auth_signing_alg_values_supported"], "RS384 offered")

    signed = assertion(key, kid, client_id, token_url)
    scope = "system/Patient.rs system/Encounter.rs system/Location.rs"
    res = token_request(token_url, signed, scope)
    check(res.status_code == 200, f"token: {res.status_code} {res.text}")
    granted = res.json()
    check(granted["scope"] == scope and granted["expires_in"] <= 300, f"granted {granted}")
    engine = {"authorization": f"Bearer {granted['access_token']}"}

    # What the server must refuse, as a real client sees it.
    res = token_request(token_url, signed, scope)
    check(res.status_code == 400 and res.json()["error"] == "invalid_grant", f"replay refused: {res.text}")
    res = token_request(token_url, assertion(key, kid, client_id, token_url, exp=int(time.time()) - 60), scope)
    check(res.status_code == 401 and res.json()["error"] == "invalid_client", f"expired refused: {res.text}")
    res = token_request(token_url, assertion(key, kid, client_id, "https://elsewhere.example/token"), scope)
    check(res.status_code == 401 and res.json()["error"] == "invalid_client", f"wrong aud refused: {res.text}")
    res = token_request(token_url, assertion(key, kid, client_id, token_url), "system/Practitioner.rs")
    check(res.status_code == 400 and res.json()["error"] == "invalid_scope", f"scope refused: {res.text}")
    res = requests.get(f"{FHIR}/$export?_type=Procedure", headers=engine, timeout=30)
    check(res.status_code == 403 and res.json()["resourceType"] == "OperationOutcome", "Procedure not in the token")

    # The full export: the ward's people and contacts, nothing of another ward.
    first = export(engine, "?_type=Patient,Encounter,Location&_outputFormat=application%2Ffhir%2Bndjson")
    check(first["requiresAccessToken"] is True, "requiresAccessToken")
    resources = download(engine, first)
    by_type = {}
    for r in resources:
        by_type.setdefault(r["resourceType"], []).append(r)
    check(set(by_type) <= {"Patient", "Encounter", "Location"}, f"types {set(by_type)}")
    check([loc["id"] for loc in by_type.get("Location", [])] == [ward["id"]], "one Location: the ward")
    encounters = by_type.get("Encounter", [])
    check(len(encounters) > 0, "the demo ward's encounters")
    for enc in encounters:
        refs = [loc["location"]["reference"] for loc in enc.get("location", [])]
        check(refs == [f"Location/{ward['id']}"], f"encounter {enc['id']} on the ward only: {refs}")
    check(len(by_type.get("Patient", [])) > 0, "the ward's patients")
    # Without the token, the files are not there for anyone.
    res = requests.get(first["output"][0]["url"], timeout=30)
    check(res.status_code == 401, f"download without a token: {res.status_code}")

    # A worker records a contact; the next export from the first one's
    # transactionTime holds exactly that change.
    worker = sign_in("psw")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    people = requests.get(f"{BASE}/api/v1/service-users?ward_id={ward['id']}", headers=worker, timeout=30).json()["items"]
    res = requests.post(f"{BASE}/api/v1/activities", headers=worker, timeout=30, json={
        "kind": "one_to_one", "ward_id": ward["id"], "started_at": started, "duration_minutes": 30,
        "service_user_ids": [people[0]["id"]], "details": {"topics": ["listening"]},
    })
    check(res.status_code == 201, f"record: {res.status_code} {res.text}")
    new_id = res.json()["id"]
    second = export(engine, f"?_type=Encounter&_since={requests.utils.quote(first['transactionTime'])}")
    ids = [r["id"] for r in download(engine, second)]
    check(ids == [new_id], f"the incremental export holds exactly the new contact: {ids}")

    print(f"[bulk_story] {len(resources)} resources exported ({', '.join(f'{t}: {len(v)}' for t, v in sorted(by_type.items()))}); "
          f"incremental export: {len(ids)}; refusals as expected", file=sys.stderr)


if __name__ == "__main__":
    main()
