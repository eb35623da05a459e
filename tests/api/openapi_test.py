#!/usr/bin/env python3
"""Keeps docs/openapi.yaml honest: every route `evhub serve` registers is documented (and every
documented route exists), and real responses — successes and refusals — match the documented
status codes and schemas. Runs the real binary on a fresh hub; standard library plus
python3-yaml and python3-jsonschema (Debian packages)."""
import http.cookiejar
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import jsonschema
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EVHUB = os.environ.get("EVHUB_BIN", os.path.join(ROOT, "build", "evhub"))
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
passed = failed = 0


def check(ok, what):
    if os.environ.get("OPENAPI_DEBUG") and not ok:
        print("DEBUG", what, file=sys.stderr)
    global passed, failed
    if ok:
        passed += 1
        print("ok   ", what)
    else:
        failed += 1
        print("FAIL ", what)


def resolve(spec, node):
    """Follows $ref and inlines components, so jsonschema sees a self-contained schema."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(spec, target)
        out = {k: resolve(spec, v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable") and "type" in out:  # OpenAPI 3.0's way of saying "or null"
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(node, list):
        return [resolve(spec, v) for v in node]
    return node


def main():
    spec = yaml.safe_load(open(os.path.join(ROOT, "docs", "openapi.yaml")))
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if m in METHODS}
    with tempfile.TemporaryDirectory() as tmp:
        hub, key = os.path.join(tmp, "hub"), os.path.join(tmp, "key")
        base = [EVHUB, "--hub", hub, "--key-file", key]

        def evhub(*args, env=None):
            subprocess.run(base + list(args), check=True, capture_output=True,
                           env=dict(os.environ, **(env or {})))

        evhub("init")
        evhub("org", "add", "Partner A")
        evhub("org", "add", "Partner B")
        for user, org, role in (("admin", "Partner A", "administrator"),
                                ("analyst", "Partner A", "analyst"),
                                ("lead", "Partner A", "lead"),
                                ("analyst.b", "Partner B", "analyst"),
                                ("legal", "Partner A", "legal-officer"),
                                ("legal.b", "Partner B", "legal-officer")):
            evhub("user", "add", user, "--org", org, "--role", role,
                  env={"EVHUB_USER_PASSWORD": user + " password!"})

        routes = subprocess.run(base + ["serve", "--routes"], check=True, capture_output=True,
                                text=True).stdout.split("\n")
        registered = {tuple(r.split(" ", 1)) for r in routes if r}
        for r in sorted(registered - documented):
            check(False, "route %s %s is not in docs/openapi.yaml" % r)
        for r in sorted(documented - registered):
            check(False, "docs/openapi.yaml describes %s %s, which the server lacks" % r)
        check(registered == documented, "every registered route is documented and vice versa")

        server = subprocess.Popen(base + ["serve", "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline()
            url = line[line.index("http://"):].split(" ")[0].rstrip("/")
            exercise(spec, url)
        finally:
            server.terminate()
            check(server.wait(timeout=30) == 0, "the server stops cleanly on SIGTERM")
    print("openapi: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def totp_now(base32_secret):
    """RFC 6238 with the standard library, as an authenticator app computes it."""
    import base64, hashlib, hmac, struct, time
    key = base64.b32decode(base32_secret + "=" * (-len(base32_secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def exercise_witnesses(call, jars, anonymous):
    """The witness register: the lead of Partner A registers a witness, records consent, checks
    it, views the personal details and erases; the analyst reads; Partner B and the
    administrator are refused."""
    lead = dict(jar=jars["lead"], csrf=jars["lead"].csrf)
    analyst = dict(jar=jars["analyst"], csrf=jars["analyst"].csrf)
    witnesses = "/api/v1/witnesses"
    witness = "/api/v1/witnesses/{code}"
    personal = "/api/v1/witnesses/{code}/personal"
    consents = "/api/v1/witnesses/{code}/consents"
    consent_check = "/api/v1/witnesses/{code}/consent-check"
    gaps = "/api/v1/consent-gaps"

    status, doc = call("POST", witnesses, {
        "code": "W-00123", "gender": "female", "age_band": "30-44", "country": "BY",
        "languages": ["be", "ru"], "vulnerabilities": ["displaced"], "do_not_contact": False,
        "personal": {"name": "Fictional Person", "contacts": "+375 29 000 00 00"}}, **lead)
    check(status == 201 and doc and doc["consent"]["state"] == "missing",
          "a new witness is registered without consent")
    call("POST", witnesses, {"code": "W-00123"}, **lead)  # 409
    call("POST", witnesses, {"code": "W-00124", "gender": "other"}, **lead)  # 400
    call("POST", witnesses, {"code": "W-00125"}, **analyst)  # 403
    call("POST", witnesses, {"code": "W-00126"}, jar=anonymous)  # 401
    call("POST", witnesses, {"code": "W-00127"}, **lead)  # 201, no personal details

    status, doc = call("POST", "/api/v1/witnesses/W-00123/consents", {
        "given_on": "2026-03-01", "taken_by": "intake officer K.",
        "scopes": ["internal-analysis", "share-icc"], "conditions": "not before the trial",
        "renew_by": "2030-12-31", "withdrawn_on": ""}, doc_path=consents, **lead)
    check(status == 201 and doc and doc["version"] == 1, "consent v1 is recorded")
    call("POST", "/api/v1/witnesses/W-00123/consents", {"given_on": "yesterday",
         "taken_by": "K."}, doc_path=consents, **lead)  # 400
    call("POST", "/api/v1/witnesses/W-99999/consents", {"given_on": "2026-03-01",
         "taken_by": "K."}, doc_path=consents, **lead)  # 404
    call("POST", "/api/v1/witnesses/W-00123/consents", {"given_on": "2026-03-01",
         "taken_by": "K."}, doc_path=consents, **analyst)  # 403

    status, doc = call("GET", witnesses, jar=jars["analyst"])
    check(doc and [w["code"] for w in doc["witnesses"]] == ["W-00123", "W-00127"],
          "the analyst reads Partner A's register")
    call("GET", witnesses, query="?consent=valid", jar=jars["analyst"])
    call("GET", witnesses, query="?consent=perhaps", jar=jars["analyst"])  # 400
    status, doc = call("GET", witnesses, jar=jars["analyst.b"])
    check(doc is not None and doc["witnesses"] == [], "Partner B sees no witness of Partner A")
    call("GET", witnesses, jar=jars["admin"])  # 403
    call("GET", witnesses, jar=anonymous)  # 401

    status, doc = call("GET", "/api/v1/witnesses/W-00123", doc_path=witness, jar=jars["lead"])
    check(doc and doc["consents"][0].get("conditions") == "not before the trial",
          "the lead reads the conditions")
    status, doc = call("GET", "/api/v1/witnesses/W-00123", doc_path=witness,
                       jar=jars["analyst"])
    check(doc and "conditions" not in doc["consents"][0], "the analyst does not")
    call("GET", "/api/v1/witnesses/W-00123", doc_path=witness, jar=jars["analyst.b"])  # 403
    call("GET", "/api/v1/witnesses/W-99999", doc_path=witness, jar=jars["analyst"])  # 404
    call("GET", "/api/v1/witnesses/W-00123", doc_path=witness, jar=anonymous)  # 401

    status, doc = call("GET", "/api/v1/witnesses/W-00123/personal", doc_path=personal,
                       jar=jars["lead"])
    check(doc and doc["name"] == "Fictional Person", "the lead sees the personal details")
    call("GET", "/api/v1/witnesses/W-00123/personal", doc_path=personal,
         jar=jars["analyst"])  # 403
    call("GET", "/api/v1/witnesses/W-00127/personal", doc_path=personal,
         jar=jars["lead"])  # 404: none recorded
    call("GET", "/api/v1/witnesses/W-00123/personal", doc_path=personal, jar=anonymous)  # 401

    status, doc = call("GET", "/api/v1/witnesses/W-00123/consent-check", doc_path=consent_check,
                       query="?purpose=sharing&recipient=lawyer", jar=jars["lead"])
    check(doc and doc["allowed"] is False and "v1" in doc["reason"],
          "consent v1 does not cover lawyers, and the reason says so")
    call("GET", "/api/v1/witnesses/W-00123/consent-check", doc_path=consent_check,
         query="?purpose=sharing&recipient=icc&today=2026-06-01", jar=jars["lead"])
    call("GET", "/api/v1/witnesses/W-00123/consent-check", doc_path=consent_check,
         query="?purpose=gossip", jar=jars["lead"])  # 400
    call("GET", "/api/v1/witnesses/W-99999/consent-check", doc_path=consent_check,
         query="?purpose=recontact", jar=jars["lead"])  # 404
    call("GET", "/api/v1/witnesses/W-00123/consent-check", doc_path=consent_check,
         query="?purpose=recontact", jar=jars["analyst"])  # 403
    call("GET", "/api/v1/witnesses/W-00123/consent-check", doc_path=consent_check,
         query="?purpose=recontact", jar=anonymous)  # 401

    status, doc = call("GET", gaps, query="?purpose=sharing&recipient=lawyer&within=30",
                       jar=jars["lead"])
    check(doc and sorted(g["code"] for g in doc["gaps"]) == ["W-00123", "W-00127"],
          "both witnesses are gaps for sharing with lawyers")
    call("GET", gaps, query="?purpose=sharing&within=many", jar=jars["lead"])  # 400
    call("GET", gaps, query="?purpose=sharing&recipient=icc", jar=jars["analyst"])  # 403
    call("GET", gaps, query="?purpose=sharing&recipient=icc", jar=anonymous)  # 401

    call("DELETE", "/api/v1/witnesses/W-00123", doc_path=witness, query="?reason=test",
         **analyst)  # 403
    call("DELETE", "/api/v1/witnesses/W-00123", doc_path=witness, **lead)  # 400: no reason
    call("DELETE", "/api/v1/witnesses/W-99999", doc_path=witness, query="?reason=test",
         **lead)  # 404
    status, doc = call("DELETE", "/api/v1/witnesses/W-00123", doc_path=witness,
                       query="?reason=consent%20withdrawn", **lead)
    check(doc and doc["erased"] is True and doc["erased_by"] == "lead",
          "erasure leaves a tombstone naming who erased")
    call("DELETE", "/api/v1/witnesses/W-00123", doc_path=witness, query="?reason=again",
         **lead)  # 410
    call("DELETE", "/api/v1/witnesses/W-00123", doc_path=witness, query="?reason=x",
         jar=anonymous)  # 401
    call("GET", "/api/v1/witnesses/W-00123/personal", doc_path=personal,
         jar=jars["lead"])  # 410
    call("POST", "/api/v1/witnesses/W-00123/consents", {"given_on": "2026-03-01",
         "taken_by": "K."}, doc_path=consents, **lead)  # 410
    call("GET", witnesses, jar=jars["lead"])  # the tombstone, against the schema


def multipart(parts):
    """A multipart/form-data body as a browser's FormData sends it: (name, filename, bytes)."""
    boundary = "----evhub-openapi-test-boundary"
    body = b""
    for name, filename, data in parts:
        disposition = 'form-data; name="%s"' % name
        if filename:
            disposition += '; filename="%s"' % filename
        body += b"--%s\r\nContent-Disposition: %s\r\n\r\n%s\r\n" % (
            boundary.encode(), disposition.encode(), data)
    body += b"--%s--\r\n" % boundary.encode()
    return body, {"Content-Type": "multipart/form-data; boundary=" + boundary}


def exercise_collection(call, jars, anonymous):
    """Interviews, documents, contacts, translations, jobs and import: the lead of Partner A
    works with a witness; the analyst of A reads; the analyst of Partner B is refused."""
    lead, analyst, other = (dict(jar=jars[u], csrf=jars[u].csrf)
                            for u in ("lead", "analyst", "analyst.b"))
    objects = "/api/v1/objects"
    interviews = "/api/v1/witnesses/{code}/interviews"
    interview = "/api/v1/interviews/{id}"
    documents = "/api/v1/witnesses/{code}/documents"
    document = "/api/v1/documents/{id}"
    contacts = "/api/v1/witnesses/{code}/contacts"
    contact_check = "/api/v1/witnesses/{code}/contact-check"
    translations = "/api/v1/objects/{id}/translations"
    content = "/api/v1/objects/{id}/content"
    retry = "/api/v1/jobs/{id}/retry"

    call("POST", "/api/v1/witnesses", {"code": "W-00500", "languages": ["be"]}, **lead)
    status, doc = call("POST", objects, raw="Мяне затрымалі ў Мінску.".encode(),
                       query="?domain=W-00500", **lead)
    text_id = doc["id"] if doc else "0" * 32
    call("POST", objects, raw=b"x", query="?domain=W-00500", **analyst)  # 403: a witness's
    status, doc = call("POST", "/api/v1/witnesses/W-00500/interviews",
                       {"on": "2026-03-02", "interviewer": "lead", "remote": True,
                        "languages": ["be"], "transcript": text_id}, doc_path=interviews, **lead)
    check(doc and doc["status"] == "transcribed", "an interview with a transcript is transcribed")
    iv_id = doc["id"] if doc else "iv-" + "0" * 32
    call("POST", "/api/v1/witnesses/W-00500/interviews", {"on": "soon"}, doc_path=interviews,
         **lead)  # 400
    call("POST", "/api/v1/witnesses/W-00500/interviews", {"on": "2026-03-02"},
         doc_path=interviews, **analyst)  # 403
    call("POST", "/api/v1/witnesses/W-99999/interviews", {"on": "2026-03-02"},
         doc_path=interviews, **lead)  # 404
    call("GET", "/api/v1/witnesses/W-00500/interviews", doc_path=interviews, jar=jars["analyst"])
    call("GET", "/api/v1/witnesses/W-00500/interviews", doc_path=interviews,
         jar=jars["analyst.b"])  # 403
    call("GET", "/api/v1/witnesses/W-00500/interviews", doc_path=interviews, jar=anonymous)
    call("GET", "/api/v1/interviews/" + iv_id, doc_path=interview, jar=jars["analyst"])
    call("GET", "/api/v1/interviews/" + iv_id, doc_path=interview, jar=jars["analyst.b"])  # 403
    call("GET", "/api/v1/interviews/iv-nothing", doc_path=interview, jar=jars["lead"])  # 404
    call("GET", "/api/v1/interviews/" + iv_id, doc_path=interview, jar=anonymous)  # 401
    status, doc = call("PATCH", "/api/v1/interviews/" + iv_id, {"status": "translated"},
                       doc_path=interview, **lead)
    check(doc and doc["status"] == "translated", "the status moves forward")
    call("PATCH", "/api/v1/interviews/" + iv_id, {"status": "recorded"}, doc_path=interview,
         **lead)  # 409
    call("PATCH", "/api/v1/interviews/" + iv_id, {"statu": "coded"}, doc_path=interview,
         **lead)  # 400
    call("PATCH", "/api/v1/interviews/" + iv_id, {"status": "coded"}, doc_path=interview,
         **analyst)  # 403
    call("PATCH", "/api/v1/interviews/iv-nothing", {}, doc_path=interview, **lead)  # 404

    status, doc = call("POST", objects, raw=b"%PDF-1.4 damaged beyond reading",
                       query="?domain=W-00500", **lead)
    pdf_id = doc["id"] if doc else "0" * 32
    call("POST", "/api/v1/witnesses/W-00500/documents",
         {"object_id": pdf_id, "kind": "court", "date": "2021-03-02", "language": "ru",
          "description": "a court decision"}, doc_path=documents, **lead)
    call("POST", "/api/v1/witnesses/W-00500/documents", {"object_id": pdf_id, "kind": "diary"},
         doc_path=documents, **lead)  # 400
    call("POST", "/api/v1/witnesses/W-00500/documents", {"object_id": pdf_id, "kind": "court"},
         doc_path=documents, **analyst)  # 403
    call("POST", "/api/v1/witnesses/W-99999/documents", {"object_id": pdf_id, "kind": "court"},
         doc_path=documents, **lead)  # 404
    status, doc = call("GET", "/api/v1/witnesses/W-00500/documents", doc_path=documents,
                       jar=jars["analyst"])
    check(doc and len(doc["documents"]) == 1, "the analyst reads the court decision")
    call("GET", "/api/v1/witnesses/W-00500/documents", doc_path=documents,
         jar=jars["analyst.b"])  # 403
    call("GET", "/api/v1/witnesses/W-00500/documents", doc_path=documents, jar=anonymous)
    call("GET", "/api/v1/documents/" + pdf_id, doc_path=document, jar=jars["lead"])
    call("GET", "/api/v1/documents/" + text_id, doc_path=document, jar=jars["lead"])  # 404
    call("GET", "/api/v1/documents/" + pdf_id, doc_path=document, jar=jars["analyst.b"])  # 403
    call("GET", "/api/v1/documents/" + pdf_id, doc_path=document, jar=anonymous)  # 401
    call("GET", "/api/v1/objects/%s/content" % pdf_id, query="?inline=1", doc_path=content,
         jar=jars["lead"])

    call("GET", "/api/v1/witnesses/W-00500/contact-check", query="?on=2026-05-10",
         doc_path=contact_check, jar=jars["lead"])
    call("GET", "/api/v1/witnesses/W-00500/contact-check", query="?on=soon",
         doc_path=contact_check, jar=jars["lead"])  # 400
    call("GET", "/api/v1/witnesses/W-00500/contact-check", doc_path=contact_check,
         jar=jars["analyst"])  # 403
    call("GET", "/api/v1/witnesses/W-99999/contact-check", doc_path=contact_check,
         jar=jars["lead"])  # 404
    call("GET", "/api/v1/witnesses/W-00500/contact-check", doc_path=contact_check,
         jar=anonymous)  # 401
    status, doc = call("POST", "/api/v1/witnesses/W-00500/contacts",
                       {"on": "2026-05-01", "by": "lead", "channel": "phone", "planned": True,
                        "purpose": "a follow-up"}, doc_path=contacts, **lead)
    call("POST", "/api/v1/witnesses/W-00500/contacts", {"on": "2026-05-01", "by": "lead",
         "channel": "pigeon"}, doc_path=contacts, **lead)  # 400
    call("POST", "/api/v1/witnesses/W-00500/contacts", {"on": "2026-05-01", "by": "x",
         "channel": "phone"}, doc_path=contacts, **analyst)  # 403
    call("POST", "/api/v1/witnesses/W-99999/contacts", {"on": "2026-05-01", "by": "x",
         "channel": "phone"}, doc_path=contacts, **lead)  # 404
    call("GET", "/api/v1/witnesses/W-00500/contacts", doc_path=contacts, jar=jars["lead"])
    call("GET", "/api/v1/witnesses/W-00500/contacts", doc_path=contacts, jar=jars["analyst"])
    call("GET", "/api/v1/witnesses/W-99999/contacts", doc_path=contacts, jar=jars["lead"])  # 404
    call("GET", "/api/v1/witnesses/W-00500/contacts", doc_path=contacts, jar=anonymous)  # 401

    status, doc = call("POST", "/api/v1/objects/%s/translations" % text_id,
                       {"language": "en", "from": "be", "text": "They detained me in Minsk."},
                       doc_path=translations, **lead)
    check(doc and doc["machine"] is False and doc["by"] == "lead",
          "a human translation says so, and who made it")
    call("POST", "/api/v1/objects/%s/translations" % text_id, {"language": "English",
         "text": "x"}, doc_path=translations, **lead)  # 400
    call("POST", "/api/v1/objects/%s/translations" % text_id, {"language": "en", "text": "x"},
         doc_path=translations, **other)  # 403
    call("POST", "/api/v1/objects/%s/translations" % ("0" * 32), {"language": "en",
         "text": "x"}, doc_path=translations, **lead)  # 404
    call("POST", "/api/v1/objects/%s/translations" % text_id, {"language": "en", "text": "x"},
         doc_path=translations, jar=anonymous)  # 401

    # The damaged PDF fails its extraction; the server's workers run while this test waits.
    failed = None
    for _ in range(120):
        status, doc = call("GET", "/api/v1/jobs", query="?state=failed", jar=jars["lead"])
        if doc and doc["jobs"]:
            failed = doc["jobs"][0]
            break
        time.sleep(0.25)
    check(failed is not None and failed["error"], "the failed job is listed with its error")
    call("GET", "/api/v1/jobs", query="?limit=1", jar=jars["analyst"])
    call("GET", "/api/v1/jobs", query="?state=broken", jar=jars["lead"])  # 400
    call("GET", "/api/v1/jobs", jar=jars["admin"])  # 403
    call("GET", "/api/v1/jobs", jar=anonymous)  # 401
    job_id = str(failed["id"]) if failed else "1"
    call("POST", "/api/v1/jobs/%s/retry" % job_id, doc_path=retry, **other)  # 403
    call("POST", "/api/v1/jobs/%s/retry" % job_id, doc_path=retry, **lead)  # 200
    call("POST", "/api/v1/jobs/%s/retry" % job_id, doc_path=retry, **lead)  # 409 (or 200)
    call("POST", "/api/v1/jobs/999999/retry", doc_path=retry, **lead)  # 404
    call("POST", "/api/v1/jobs/%s/retry" % job_id, doc_path=retry, jar=anonymous)  # 401

    imports = "/api/v1/imports"
    bad, bad_headers = multipart([("manifest", "manifest.csv",
                                   b"record,witness,organisation\nwitness,W-00501,Nowhere\n")])
    status, doc = call("POST", imports, raw=bad, query="?dry_run=true", headers=bad_headers,
                       **lead)
    check(doc and doc["problems"] and doc["problems"][0]["line"] == 2
          and doc["problems"][0]["column"] == 3, "the dry run names the line and column")
    call("POST", imports, raw=bad, headers=bad_headers, **lead)  # 422
    good, good_headers = multipart([
        ("manifest", "manifest.csv",
         b"record,witness,organisation,date,by,remote,transcript\n"
         b"witness,W-00501,Partner A,,,,\n"
         b"interview,W-00501,,2026-01-10,lead,yes,t.txt\n"),
        ("files", "t.txt", "Сведка расказала пра затрыманне.".encode())])
    status, doc = call("POST", imports, raw=good, headers=good_headers, **lead)
    check(doc and doc["report"]["interviews"] == 1, "a sound manifest is imported")
    call("POST", imports, raw=good, headers=good_headers, **analyst)  # 403
    call("POST", imports, {"manifest": "x"}, **lead)  # 400: not multipart
    call("POST", imports, raw=good, headers=good_headers, jar=anonymous)  # 401

    call("DELETE", "/api/v1/witnesses/W-00501", doc_path="/api/v1/witnesses/{code}",
         query="?reason=test", **lead)
    for path, doc_path in (("/api/v1/witnesses/W-00501/interviews", interviews),
                           ("/api/v1/witnesses/W-00501/documents", documents),
                           ("/api/v1/witnesses/W-00501/contacts", contacts),
                           ("/api/v1/witnesses/W-00501/contact-check", contact_check)):
        call("GET", path, doc_path=doc_path, jar=jars["lead"])  # 410
    call("POST", "/api/v1/witnesses/W-00501/interviews", {"on": "2026-03-02",
         "interviewer": "lead", "remote": True}, doc_path=interviews, **lead)  # 410
    call("POST", "/api/v1/witnesses/W-00501/documents", {"object_id": pdf_id, "kind": "court"},
         doc_path=documents, **lead)  # 410
    call("POST", "/api/v1/witnesses/W-00501/contacts", {"on": "2026-05-01", "by": "x",
         "channel": "phone"}, doc_path=contacts, **lead)  # 410


def exercise_search(call, jars, anonymous):
    analyst = dict(jar=jars["analyst"], csrf=jars["analyst"].csrf)
    call("GET", "/api/v1/search", query="?q=evidence&sort=newest", jar=jars["analyst"])
    call("GET", "/api/v1/search", query="?q=%22unclosed", jar=jars["analyst"])  # 400
    call("GET", "/api/v1/search", query="?q=evidence", jar=jars["admin"])  # 403
    call("GET", "/api/v1/search", query="?q=evidence", jar=anonymous)  # 401
    saved = "/api/v1/saved-searches"
    status, doc = call("POST", saved, {"name": "evidence", "query": "evidence"}, **analyst)
    call("POST", saved, {"name": "bad", "query": "(x"}, **analyst)  # 400
    call("GET", saved, jar=jars["analyst"])
    call("GET", saved, jar=jars["admin"])  # 403
    if doc:
        sid = str(doc["id"])
        call("GET", saved + "/" + sid + "/new", doc_path=saved + "/{id}/new", jar=jars["analyst"])
        call("GET", saved + "/999999/new", doc_path=saved + "/{id}/new",
             jar=jars["analyst"])  # 404
        call("POST", saved + "/" + sid + "/seen", {"mark": 1}, doc_path=saved + "/{id}/seen",
             **analyst)
        call("POST", saved + "/" + sid + "/seen", {"mark": "x"}, doc_path=saved + "/{id}/seen",
             **analyst)  # 400
        call("DELETE", saved + "/" + sid, doc_path=saved + "/{id}", **analyst)
        call("DELETE", saved + "/" + sid, doc_path=saved + "/{id}", **analyst)  # 404


def two_page_pdf():
    """A PDF of two pages with a line of text each, written out by hand (no PDF library)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"]
    for n in (1, 2):
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
                       "<< /F1 7 0 R >> >> /Contents %d 0 R >>" % (4 + n))
    for n in (1, 2):
        content = "BT /F1 18 Tf 72 720 Td (Page %d of a fictional statement) Tj ET" % n
        objects.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = "%PDF-1.4\n", []
    for i, o in enumerate(objects):
        offsets.append(len(out))
        out += "%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    xref = len(out)
    out += "xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += "".join("%010d 00000 n \n" % o for o in offsets)
    out += "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                              xref)
    return out.encode("latin-1")


def exercise_pdf_pages(call, jars, lead, text_id):
    """A PDF's pages are rendered for region coding; a text object has none."""
    workspace = "/api/v1/coding/objects/{id}"
    pages = "/api/v1/coding/objects/{id}/pages/{page}"
    status, doc = call("POST", "/api/v1/objects", raw=two_page_pdf(), query="?domain=W-00600",
                       **lead)
    pid = doc["id"] if doc else "0" * 32
    status, doc = call("GET", "/api/v1/coding/objects/" + pid, doc_path=workspace,
                       jar=jars["analyst"])
    check(doc and doc["pages"] == 2 and doc["text"] is None, "the workspace counts the PDF's pages")
    status, data = call("GET", "/api/v1/coding/objects/%s/pages/2" % pid, doc_path=pages,
                        jar=jars["analyst"])
    check(status == 200 and data and data[:8] == b"\x89PNG\r\n\x1a\n", "page 2 comes as a PNG")
    call("GET", "/api/v1/coding/objects/%s/pages/3" % pid, doc_path=pages,
         jar=jars["analyst"])  # 404: no such page
    call("GET", "/api/v1/coding/objects/%s/pages/0" % pid, doc_path=pages,
         jar=jars["analyst"])  # 400
    call("GET", "/api/v1/coding/objects/%s/pages/1" % text_id, doc_path=pages,
         jar=jars["analyst"])  # 400: not a PDF
    status, doc = call("GET", "/api/v1/coding/objects/%s/pages/1" % pid, doc_path=pages,
                       jar=jars["analyst.b"])  # 403: another organisation's
    check(status == 403 and doc and "error" in doc, "another partner gets an error, no page")
    call("GET", "/api/v1/coding/objects/%s/pages/1" % pid, doc_path=pages,
         jar=jars["admin"])  # 403: no coding role
    status, doc = call("GET", "/api/v1/coding/objects/" + text_id, doc_path=workspace,
                       jar=jars["analyst"])
    check(doc and doc["pages"] is None, "a text has no pages")


def exercise_coding(call, jars, anonymous):
    """The coding framework, the workspace, annotations, passages and agreement: the analyst
    and the lead of Partner A code a transcript; the analyst of Partner B and the administrator
    are refused what is not theirs."""
    lead, analyst, other, admin = (dict(jar=jars[u], csrf=jars[u].csrf)
                                   for u in ("lead", "analyst", "analyst.b", "admin"))
    framework = "/api/v1/coding/framework"
    workspace = "/api/v1/coding/objects/{id}"
    annotations = "/api/v1/coding/annotations"
    annotation = "/api/v1/coding/annotations/{id}"
    history = "/api/v1/coding/annotations/{id}/history"
    codes = "/api/v1/coding/framework/codes"
    code = "/api/v1/coding/framework/codes/{id}"

    status, doc = call("GET", framework, jar=jars["analyst"])
    version = doc["framework"]["version"] if doc else 0
    check(doc and doc["stored_by"] is None, "the shipped framework is in force at first")
    call("GET", framework, jar=anonymous)  # 401
    status, data = call("GET", framework + "/export", query="?format=csv", jar=jars["analyst"])
    check(status == 200 and b"physical.baton-blows" in data, "the CSV export lists the codes")
    call("GET", framework + "/export", query="?format=xml", jar=jars["analyst"])  # 400
    new_code = {"id": "physical.water", "parent": "physical",
                "label": {"en": "Water torture", "be": "Катаванне вадой", "ru": "Пытка водой"}}
    call("POST", codes, {"based_on": version, "code": new_code}, **analyst)  # 403
    status, doc = call("POST", codes, {"based_on": version, "code": new_code}, **admin)
    check(doc and doc["diff"]["added"] == ["physical.water"], "the new code is in the diff")
    call("POST", codes, {"based_on": version, "code": new_code}, **admin)  # 409: stale
    call("POST", codes, {"based_on": version + 1, "code": {"id": "bad id"}}, **admin)  # 400
    changed = dict(new_code, label=dict(new_code["label"], en="Water torture (simulated "
                                                             "drowning)"), revision=1)
    del changed["id"]
    status, doc = call("PUT", "/api/v1/coding/framework/codes/physical.water",
                       {"based_on": version + 1, "code": changed}, doc_path=code, **admin)
    check(doc and doc["diff"]["relabelled"] == ["physical.water"], "a relabelling is in the diff")
    call("PUT", "/api/v1/coding/framework/codes/physical.nothing",
         {"based_on": version + 2, "code": changed}, doc_path=code, **admin)  # 404
    status, doc = call("GET", framework, jar=jars["analyst"])
    current = doc["framework"]["version"] if doc else 0
    check(doc and doc["stored_by"] == "admin", "the framework says who stored it")
    status, data = call("GET", framework + "/export", query="?format=json", jar=jars["admin"])
    status, doc = call("PUT", framework, {"based_on": current, "format": "json",
                                          "content": data.decode() if data else "",
                                          "dry_run": True}, **admin)
    check(doc and doc["acceptable"], "re-importing the export is acceptable")
    call("PUT", framework, {"based_on": current, "format": "csv",
                            "content": "id,label_en\nphysical.water,\n"}, **admin)  # 400
    call("PUT", framework, {"based_on": current, "format": "csv",
                            "content": "id,label_en\nphysical.noise,Loud noise\n"}, **analyst)
    call("PUT", framework, {"based_on": current - 1, "format": "csv",
                            "content": "id,parent,label_en\nphysical.noise,physical,Noise\n"},
         **admin)  # 409
    call("PUT", framework, {"based_on": current, "format": "csv",
                            "content": "id,parent,label_en\nphysical.noise,physical,Noise\n"},
         **admin)

    call("POST", "/api/v1/witnesses", {"code": "W-00600", "languages": ["be"]}, **lead)
    text = "Мяне затрымалі ў Мінску. Маёр загадаў біць нас дубінкамі. Потым нас трымалі без вады."
    status, doc = call("POST", "/api/v1/objects", raw=text.encode(), query="?domain=W-00600",
                       **lead)
    oid = doc["id"] if doc else "0" * 32
    span = {"object_id": oid, "kind": "text", "begin": 25, "end": 56,
            "codes": ["physical.baton-blows"],
            "facets": {"date": {"from": "2020-08-11", "precision": "day"}, "place": "Minsk",
                       "facility": "Akrestsina"}, "memo": "said twice"}
    status, doc = call("POST", annotations, span, **analyst)
    check(doc and doc["passage"] == text[25:56], "the passage is the coded span")
    aid = doc["id"] if doc else "an-" + "0" * 32
    call("POST", annotations, dict(span, codes=["sgbv.rape"]), **analyst)  # 403: restricted
    call("POST", annotations, dict(span, end=9999), **analyst)  # 400
    call("POST", annotations, dict(span, codes=["no.such"]), **analyst)  # 400
    call("POST", annotations, dict(span, object_id="0" * 32), **analyst)  # 404
    call("POST", annotations, span, **other)  # 403: another organisation's
    call("POST", annotations, dict(span, begin=0, end=24, codes=["physical.water"]), **lead)
    status, doc = call("GET", "/api/v1/coding/objects/" + oid, doc_path=workspace,
                       jar=jars["analyst"])
    check(doc and len(doc["annotations"]) == 2 and doc["text"] == text,
          "the workspace shows the text and both annotations")
    call("GET", "/api/v1/coding/objects/" + oid, doc_path=workspace, jar=jars["analyst.b"])
    call("GET", "/api/v1/coding/objects/" + "0" * 32, doc_path=workspace, jar=jars["analyst"])
    exercise_pdf_pages(call, jars, lead, oid)
    status, doc = call("PUT", "/api/v1/coding/annotations/" + aid, dict(span, version=1),
                       doc_path=annotation, **analyst)
    check(doc and doc["version"] == 2, "a change makes version 2")
    call("PUT", "/api/v1/coding/annotations/" + aid, dict(span, version=1),
         doc_path=annotation, **analyst)  # 409
    call("PUT", "/api/v1/coding/annotations/" + aid, dict(span, version=2, codes=[]),
         doc_path=annotation, **analyst)  # 400
    call("PUT", "/api/v1/coding/annotations/" + aid, dict(span, version=2),
         doc_path=annotation, **other)  # 403
    call("PUT", "/api/v1/coding/annotations/an-" + "0" * 32, dict(span, version=2),
         doc_path=annotation, **analyst)  # 404
    status, doc = call("GET", "/api/v1/coding/annotations/" + aid + "/history",
                       doc_path=history, jar=jars["analyst"])
    check(doc and len(doc["versions"]) == 2, "the history keeps both versions")
    call("GET", "/api/v1/coding/annotations/an-" + "0" * 32 + "/history", doc_path=history,
         jar=jars["analyst"])  # 404
    call("GET", "/api/v1/coding/annotations/" + aid + "/history", doc_path=history,
         jar=jars["analyst.b"])  # 403
    status, doc = call("GET", "/api/v1/coding/passages", query="?code=physical",
                       jar=jars["analyst"])
    check(doc and doc["total"] == 2 and doc["next"] is None,
          "both passages are found under physical, on one page")
    status, first = call("GET", "/api/v1/coding/passages", query="?code=physical&limit=1",
                         jar=jars["analyst"])
    check(first and len(first["passages"]) == 1 and first["total"] == 2 and first["next"],
          "a page of one says there is more")
    status, second = call("GET", "/api/v1/coding/passages",
                          query="?code=physical&limit=1&after=" + (first or {}).get("next", ""),
                          jar=jars["analyst"])
    check(second and len(second["passages"]) == 1 and second["next"] is None and
          second["passages"][0]["annotation_id"] != first["passages"][0]["annotation_id"],
          "the next page holds the other passage and is the last")
    for bad in ("&limit=0", "&limit=5001", "&after=nonsense"):
        status, _ = call("GET", "/api/v1/coding/passages", query="?code=physical" + bad,
                         jar=jars["analyst"])
        check(status == 400, "passages with %s are refused" % bad)
    # A passage also coded as rape is hidden from the analyst (not cleared for sexual violence)
    # under "physical", in the list and the count; the lead, cleared, finds it.
    status, both = call("POST", annotations, dict(span, begin=57, end=85,
                                                  codes=["physical.punches", "sgbv.rape"]), **lead)
    check(status == 201, "the lead codes a passage as punches and rape")
    status, doc = call("GET", "/api/v1/coding/passages", query="?code=physical",
                       jar=jars["analyst"])
    check(doc and doc["total"] == 2 and len(doc["passages"]) == 2,
          "a passage with a restricted code is not listed or counted for the analyst")
    status, doc = call("GET", "/api/v1/coding/passages", query="?code=physical",
                       jar=jars["lead"])
    check(doc and doc["total"] == 3 and len(doc["passages"]) == 3,
          "the lead finds the passage with the restricted code")
    if both:  # the summaries below are drafted from the two other codings
        call("DELETE", "/api/v1/coding/annotations/" + both["id"], query="?version=1",
             doc_path=annotation, **lead)
    status, doc = call("GET", "/api/v1/coding/passages", query="?code=physical",
                       jar=jars["analyst.b"])
    check(doc and doc["total"] == 0, "another organisation's passages are not found")
    call("GET", "/api/v1/coding/passages", query="?code=nothing", jar=jars["analyst"])  # 404
    call("GET", "/api/v1/coding/passages", query="?code=physical", jar=jars["admin"])  # 403
    status, doc = call("GET", "/api/v1/coding/agreement", jar=jars["lead"])
    check(doc and sorted(doc["coders"]) == ["analyst", "lead"], "both coders are in the report")
    call("GET", "/api/v1/coding/agreement", query="?coders=nobody", jar=jars["lead"])  # 400
    call("GET", "/api/v1/coding/agreement", jar=jars["admin"])  # 403
    # The code is relabelled; a later edit of the coding keeps the revision its coder saw.
    status, doc = call("GET", framework, jar=jars["admin"])
    if doc:
        baton = next(c for c in doc["framework"]["codes"] if c["id"] == "physical.baton-blows")
        relabelled = {"parent": baton["parent"], "revision": baton["revision"],
                      "label": dict(baton["labels"], en="Blows with batons"),
                      "definition": baton["definitions"], "restricted": baton["restricted"]}
        call("PUT", "/api/v1/coding/framework/codes/physical.baton-blows",
             {"based_on": doc["framework"]["version"], "code": relabelled}, doc_path=code, **admin)
    status, doc = call("PUT", "/api/v1/coding/annotations/" + aid,
                       dict(span, version=2, memo="checked against the recording"),
                       doc_path=annotation, **analyst)
    check(doc and doc["codes"][0]["revision"] == 1 and doc["codes"][0]["current_revision"] == 2,
          "editing a coding keeps the revision its coder saw")
    exercise_places_incidents_summaries(call, jars, anonymous, oid, aid)
    call("DELETE", "/api/v1/coding/annotations/" + aid, doc_path=annotation, **other)  # 403
    call("DELETE", "/api/v1/coding/annotations/" + aid, doc_path=annotation,
         **analyst)  # 400: no version
    call("DELETE", "/api/v1/coding/annotations/" + aid, query="?version=1",
         doc_path=annotation, **analyst)  # 409
    call("DELETE", "/api/v1/coding/annotations/" + aid, query="?version=3",
         doc_path=annotation, **analyst)
    call("DELETE", "/api/v1/coding/annotations/an-" + "0" * 32, query="?version=1",
         doc_path=annotation, **analyst)  # 404


def exercise_places_incidents_summaries(call, jars, anonymous, text_id, annotation_id):
    """The gazetteer and the facility registry; an incident from the coded passage; a summary
    of W-00600 drafted by the analyst, reviewed and approved by the lead, exported."""
    lead, analyst, other, admin = (dict(jar=jars[u], csrf=jars[u].csrf)
                                   for u in ("lead", "analyst", "analyst.b", "admin"))
    status, doc = call("GET", "/api/v1/places", query="?q=Grodno", jar=jars["analyst"])
    check(doc and doc["places"] and doc["places"][0]["names"]["en"] == "Hrodna",
          "Grodno finds Hrodna")
    call("GET", "/api/v1/places", jar=anonymous)  # 401
    status, doc = call("GET", "/api/v1/facilities", query="?q=Okrestina", jar=jars["analyst"])
    check(doc and doc["facilities"], "Okrestina finds the Akrestsina centre")
    facility = {"type": "police-station", "names": {"en": "Frunzienski district police"},
                "place_id": "by-minsk-city", "precision": "city"}
    status, doc = call("POST", "/api/v1/facilities", facility, **analyst)
    fid = doc["id"] if doc else "fac-x"
    call("POST", "/api/v1/facilities", dict(facility, type="castle"), **analyst)  # 400
    call("POST", "/api/v1/facilities", facility, **admin)  # 403
    call("POST", "/api/v1/facilities", facility, **analyst)  # 409: the same name and place
    one = "/api/v1/facilities/{id}"
    call("GET", "/api/v1/facilities/" + fid, doc_path=one, jar=jars["analyst"])
    call("GET", "/api/v1/facilities/fac-nothing", doc_path=one, jar=jars["analyst"])  # 404
    call("PUT", "/api/v1/facilities/" + fid, dict(facility, version=1, address="vul. Lienina"),
         doc_path=one, **analyst)
    call("PUT", "/api/v1/facilities/" + fid, dict(facility, version=1), doc_path=one,
         **analyst)  # 409
    call("PUT", "/api/v1/facilities/" + fid, dict(facility, version=2, type="x"), doc_path=one,
         **analyst)  # 400
    call("PUT", "/api/v1/facilities/fac-nothing", dict(facility, version=1), doc_path=one,
         **analyst)  # 404
    call("PUT", "/api/v1/facilities/" + fid, dict(facility, version=2), doc_path=one,
         **admin)  # 403

    incidents = "/api/v1/incidents"
    incident = "/api/v1/incidents/{id}"
    status, doc = call("POST", incidents + "/draft", {"annotation_ids": [annotation_id]},
                       **analyst)
    call("POST", incidents + "/draft", {"annotation_ids": []}, **analyst)  # 400
    call("POST", incidents + "/draft", {"annotation_ids": ["an-" + "0" * 32]},
         **analyst)  # 404
    call("POST", incidents + "/draft", {"annotation_ids": [annotation_id]}, **other)  # 403
    new = {"title": "Beatings at the isolation centre", "acts": ["physical.baton-blows"],
           "date": {"from": "2020-08-11", "precision": "day"}, "place": "Minsk",
           "facility": "Akrestsina", "summary": "Detainees were beaten on arrival.",
           "evidence": [{"annotation_id": annotation_id, "role": "supports"}]}
    status, doc = call("POST", incidents, new, **analyst)
    iid = doc["id"] if doc else "in-" + "0" * 32
    check(doc and doc["evidence"][0]["passage"], "the incident shows the passage it cites")
    call("POST", incidents, dict(new, date={"from": "2020-13-01"}), **analyst)  # 400
    call("POST", incidents, new, **other)  # 403
    call("POST", incidents, dict(new, evidence=[{"annotation_id": "an-" + "0" * 32}]),
         **analyst)  # 404
    call("GET", incidents, jar=jars["analyst"])
    status, doc = call("GET", incidents, query="?view=timeline&act=physical",
                       jar=jars["analyst"])
    check(doc and len(doc["incidents"]) == 1, "the timeline finds it under physical")
    call("GET", incidents, jar=jars["admin"])  # 403
    call("GET", incidents + "/" + iid, doc_path=incident, jar=jars["analyst"])
    call("GET", incidents + "/" + iid, doc_path=incident, jar=jars["analyst.b"])  # 403
    call("GET", incidents + "/in-" + "0" * 32, doc_path=incident, jar=jars["analyst"])  # 404
    call("PUT", incidents + "/" + iid, dict(new, version=1, title="Beatings on arrival"),
         doc_path=incident, **analyst)
    call("PUT", incidents + "/" + iid, dict(new, version=1), doc_path=incident, **analyst)
    call("PUT", incidents + "/" + iid, dict(new, version=2, acts=["nothing"]),
         doc_path=incident, **analyst)  # 400
    call("PUT", incidents + "/in-" + "0" * 32, dict(new, version=1), doc_path=incident,
         **analyst)  # 404
    call("PUT", incidents + "/" + iid, dict(new, version=2), doc_path=incident, **other)  # 403
    call("GET", incidents + "/" + iid + "/history", doc_path=incident + "/history",
         jar=jars["analyst"])
    call("GET", incidents + "/in-" + "0" * 32 + "/history", doc_path=incident + "/history",
         jar=jars["analyst"])  # 404
    call("GET", incidents + "/" + iid + "/history", doc_path=incident + "/history",
         jar=jars["analyst.b"])  # 403

    summaries = "/api/v1/summaries"
    summary = "/api/v1/summaries/{id}"
    status, doc = call("POST", summaries, {"witness": "W-00600"}, **analyst)
    sid = doc["id"] if doc else "ws-" + "0" * 32
    check(doc and doc["status"] == "draft" and doc["incidents"], "a first draft with incidents")
    call("POST", summaries, {"witness": "W-99999"}, **analyst)  # 404
    call("POST", summaries, {"nonsense": 1}, **analyst)  # 400
    call("POST", summaries, {"witness": "W-00600"}, **other)  # 403
    call("GET", summaries, jar=jars["lead"])
    call("GET", summaries, query="?status=bogus", jar=jars["lead"])  # 400
    call("GET", summaries, jar=jars["admin"])  # 403
    call("GET", summaries + "/" + sid, doc_path=summary, jar=jars["lead"])
    call("GET", summaries + "/" + sid, query="?version=x", doc_path=summary,
         jar=jars["lead"])  # 400
    call("GET", summaries + "/" + sid, doc_path=summary, jar=jars["analyst.b"])  # 403
    call("GET", summaries + "/ws-" + "0" * 32, doc_path=summary, jar=jars["lead"])  # 404
    citable = summary + "/citable"
    status, doc = call("GET", summaries + "/" + sid + "/citable", doc_path=citable,
                       jar=jars["analyst"])
    cited = [p for p in (doc or {}).get("passages", []) if p["annotation_id"] == annotation_id]
    check(len(cited) == 1 and cited[0]["passage"], "the witness's coded passage can be cited")
    call("GET", summaries + "/" + sid + "/citable", doc_path=citable,
         jar=jars["analyst.b"])  # 403
    call("GET", summaries + "/" + sid + "/citable", doc_path=citable, jar=jars["admin"])  # 403
    call("GET", summaries + "/ws-" + "0" * 32 + "/citable", doc_path=citable,
         jar=jars["analyst"])  # 404
    reference = {k: v for k, v in (cited[0] if cited else {}).items() if k != "codes"}
    edit = {"version": 1, "perpetrators": {"text": "Men in black uniforms without insignia [1].",
                                           "references": [reference] if cited else []}}
    status, doc = call("PUT", summaries + "/" + sid, edit, doc_path=summary, **analyst)
    check(doc and cited and doc["perpetrators"]["references"][0]["passage"] == cited[0]["passage"],
          "the cited passage is a reference of the edited text")
    call("PUT", summaries + "/" + sid, edit, doc_path=summary, **analyst)  # 409
    call("PUT", summaries + "/" + sid, {"version": "2"}, doc_path=summary, **analyst)  # 400
    call("PUT", summaries + "/" + sid, dict(edit, version=2), doc_path=summary, **other)  # 403
    call("PUT", summaries + "/ws-" + "0" * 32, edit, doc_path=summary, **analyst)  # 404
    moves = summary + "/transitions"
    call("POST", summaries + "/" + sid + "/transitions", {"action": "submit", "version": 2},
         doc_path=moves, **analyst)
    call("POST", summaries + "/" + sid + "/transitions", {"action": "approve", "version": 3},
         doc_path=moves, **analyst)  # 403: an analyst does not review
    call("POST", summaries + "/" + sid + "/transitions", {"action": "fly", "version": 3},
         doc_path=moves, **lead)  # 400
    call("POST", summaries + "/" + sid + "/transitions", {"action": "approve", "version": 2},
         doc_path=moves, **lead)  # 409: stale
    call("POST", summaries + "/ws-" + "0" * 32 + "/transitions",
         {"action": "approve", "version": 1}, doc_path=moves, **lead)  # 404
    status, doc = call("POST", summaries + "/" + sid + "/transitions",
                       {"action": "approve", "version": 3}, doc_path=moves, **lead)
    check(doc and doc["status"] == "approved", "the lead approves the analyst's summary")
    call("GET", summaries + "/" + sid + "/history", doc_path=summary + "/history",
         jar=jars["lead"])
    call("GET", summaries + "/ws-" + "0" * 32 + "/history", doc_path=summary + "/history",
         jar=jars["lead"])  # 404
    call("GET", summaries + "/" + sid + "/history", doc_path=summary + "/history",
         jar=jars["analyst.b"])  # 403
    status, doc = call("GET", summaries + "/" + sid + "/diff", query="?from=1&to=2",
                       doc_path=summary + "/diff", jar=jars["lead"])
    check(doc and "black uniforms" in doc["diff"], "the diff shows the edit")
    call("GET", summaries + "/" + sid + "/diff", query="?from=1", doc_path=summary + "/diff",
         jar=jars["lead"])  # 400
    call("GET", summaries + "/" + sid + "/diff", query="?from=1&to=2",
         doc_path=summary + "/diff", jar=jars["analyst.b"])  # 403
    call("GET", summaries + "/ws-" + "0" * 32 + "/diff", query="?from=1&to=2",
         doc_path=summary + "/diff", jar=jars["lead"])  # 404
    exports = summary + "/exports"
    status, doc = call("POST", summaries + "/" + sid + "/exports", {"format": "pdf"},
                       doc_path=exports, **lead)
    if doc:
        status, data = call("GET", "/api/v1/objects/%s/content" % doc["object_id"],
                            doc_path="/api/v1/objects/{id}/content", jar=jars["lead"])
        check(data and data.startswith(b"%PDF"), "the export downloads as a PDF")
    call("POST", summaries + "/" + sid + "/exports", {"version": 1, "format": "docx"},
         doc_path=exports, **lead)  # 409: not approved
    call("POST", summaries + "/" + sid + "/exports", {"format": "odt"}, doc_path=exports,
         **lead)  # 400
    call("POST", summaries + "/" + sid + "/exports", {"format": "pdf"}, doc_path=exports,
         **other)  # 403
    call("POST", summaries + "/ws-" + "0" * 32 + "/exports", {"format": "pdf"},
         doc_path=exports, **lead)  # 404
    call("DELETE", incidents + "/" + iid, query="?version=1", doc_path=incident,
         **analyst)  # 409
    call("DELETE", incidents + "/" + iid, doc_path=incident, **analyst)  # 400
    call("DELETE", incidents + "/" + iid, query="?version=2", doc_path=incident, **other)
    call("DELETE", incidents + "/in-" + "0" * 32, query="?version=2", doc_path=incident,
         **analyst)  # 404
    call("DELETE", incidents + "/" + iid, query="?version=2", doc_path=incident, **analyst)


def exercise_disclosure(call, jars, anonymous):
    """Requests for assistance and packages, end to end: Partner A's legal officer registers a
    request and builds a package (the gate blocks a witness whose consent does not cover
    lawyers), takes the blocked item out, redacts and reviews; the lead asks for changes, then
    approves (the builder may not); the package is exported to an age key and downloaded; the
    disclosure log and the witness's history show it. The analyst and Partner B's legal officer
    are refused."""
    legal, lead, analyst, other = (dict(jar=jars[u], csrf=jars[u].csrf)
                                   for u in ("legal", "lead", "analyst", "legal.b"))
    requests_, request_ = "/api/v1/requests", "/api/v1/requests/{id}"
    packages, package = "/api/v1/packages", "/api/v1/packages/{id}"
    items, history = package + "/items", package + "/history"
    redaction = package + "/items/{object}/redaction"
    review = package + "/items/{object}/review"
    submit, changes, approve = package + "/submit", package + "/changes", package + "/approve"
    export = package + "/export"
    disclosures, witness_history = "/api/v1/disclosures", "/api/v1/witnesses/{code}/disclosures"
    nothing = "pk-" + "0" * 32

    objects = {}
    for code, name, scope in (("W-00700", "Fictional Witness", "share-lawyer"),
                              ("W-00701", "Invented Person", "share-icc")):
        call("POST", "/api/v1/witnesses", {"code": code, "personal": {"name": name}}, **lead)
        call("POST", "/api/v1/witnesses/%s/consents" % code, {
            "given_on": "2026-03-01", "taken_by": "K.", "scopes": ["internal-analysis", scope]},
            doc_path="/api/v1/witnesses/{code}/consents", **lead)
        status, doc = call("POST", "/api/v1/objects", raw=("My name is %s. They beat us." %
                                                           name).encode(),
                           query="?domain=" + code, **lead)
        objects[code] = doc["id"] if doc else "0" * 32
    allowed, blocked = objects["W-00700"], objects["W-00701"]
    call("POST", "/api/v1/witnesses/W-00700/documents", {"object_id": allowed, "kind": "other"},
         doc_path="/api/v1/witnesses/{code}/documents", **lead)
    candidates = "/api/v1/package-candidates"
    status, doc = call("GET", candidates, query="?source=witness:W-00700", jar=jars["legal"])
    check(doc and [i["object"] for i in doc["items"]] == [allowed] and
          doc["items"][0]["folder"] == "W-00700", "a witness's documents are candidates")
    call("GET", candidates, query="?source=folder:x", jar=jars["legal"])  # 400
    call("GET", candidates, query="?source=witness:W-09999", jar=jars["legal"])  # 404
    status, doc = call("GET", candidates, query="?source=witness:W-00700",
                       jar=jars["legal.b"])  # 404: another organisation's witness
    call("GET", candidates, query="?source=witness:W-00700", jar=jars["analyst"])  # 403
    call("GET", candidates, query="?source=witness:W-00700", jar=anonymous)  # 401

    status, doc = call("POST", requests_, {
        "organisation": "Partner A",
        "requester": {"kind": "lawyer", "body": "Counsel for victims (test)",
                      "contact": "a fictional address"},
        "reference": "LAW-2026/3", "legal_basis": "national law", "deadline": "2099-01-01",
        "scope": {"description": "ill-treatment, August 2020", "restricted": []},
        "terms": {"confidential": True}}, **legal)
    check(status == 201 and doc and doc["status"] == "received", "a request is registered")
    rq = doc["id"] if doc else "RQ-2099-0001"
    call("POST", requests_, {"requester": {"kind": "gossip"}}, **legal)  # 400
    call("POST", requests_, {"requester": {"kind": "lawyer", "body": "x"}}, **analyst)  # 403
    call("POST", requests_, {"organisation": "Partner A", "requester": {"kind": "lawyer",
         "body": "x"}}, **other)  # 403
    call("POST", requests_, {"requester": {"kind": "lawyer", "body": "x"}}, jar=anonymous)  # 401
    status, doc = call("GET", requests_, jar=jars["legal"])
    check(doc and [r["id"] for r in doc["requests"]] == [rq], "the legal officer lists it")
    status, doc = call("GET", requests_, jar=jars["legal.b"])
    check(doc is not None and doc["requests"] == [], "Partner B's legal officer sees none")
    call("GET", requests_, query="?view=deadlines&within=30", jar=jars["lead"])
    call("GET", requests_, query="?status=bogus", jar=jars["legal"])  # 400
    call("GET", requests_, jar=jars["analyst"])  # 403
    call("GET", requests_, jar=anonymous)  # 401
    call("GET", requests_ + "/" + rq, doc_path=request_, jar=jars["legal"])
    call("GET", requests_ + "/RQ-2099-9999", doc_path=request_, jar=jars["legal"])  # 404
    call("GET", requests_ + "/" + rq, doc_path=request_, jar=jars["legal.b"])  # 403
    call("GET", requests_ + "/" + rq, doc_path=request_, jar=anonymous)  # 401
    status, doc = call("PATCH", requests_ + "/" + rq, {"version": 1, "status": "scoping",
                       "assignees": ["legal"]}, doc_path=request_, **legal)
    check(doc and doc["assignees"] == ["legal"], "the request is assigned")
    call("PATCH", requests_ + "/" + rq, {"version": 1, "status": "collecting"},
         doc_path=request_, **legal)  # 409: stale
    call("PATCH", requests_ + "/" + rq, {"status": "collecting"}, doc_path=request_,
         **legal)  # 400: no version
    call("PATCH", requests_ + "/RQ-2099-9999", {"version": 1}, doc_path=request_, **legal)  # 404
    call("PATCH", requests_ + "/" + rq, {"version": 2}, doc_path=request_, **other)  # 403
    letters = request_ + "/correspondence"
    letter_text = b"Letter of request LAW-2026/3 (fictional)."
    status, doc = call("POST", requests_ + "/%s/correspondence" % rq, raw=letter_text,
                       query="?version=2&direction=in&on=2026-11-02&label=letter%20of%20request",
                       doc_path=letters, **legal)
    check(doc and doc["version"] == 3 and doc["correspondence"][0]["label"] == "letter of request",
          "a letter is kept with the request")
    letter = doc["correspondence"][0]["object_id"] if doc else "0" * 32
    status, data = call("GET", requests_ + "/%s/correspondence/%s" % (rq, letter),
                        doc_path=letters + "/{object}", jar=jars["legal"])
    check(data == letter_text, "the letter comes back as it was sent")
    call("GET", requests_ + "/%s/correspondence/%s" % (rq, "0" * 32),
         doc_path=letters + "/{object}", jar=jars["legal"])  # 404
    call("GET", requests_ + "/%s/correspondence/%s" % (rq, letter),
         doc_path=letters + "/{object}", jar=jars["legal.b"])  # 403
    call("POST", requests_ + "/%s/correspondence" % rq, raw=letter_text,
         query="?version=2&direction=in", doc_path=letters, **legal)  # 409: stale
    call("POST", requests_ + "/%s/correspondence" % rq, raw=letter_text,
         query="?version=3&direction=sideways", doc_path=letters, **legal)  # 400
    call("POST", requests_ + "/%s/correspondence" % rq, raw=letter_text,
         query="?version=3&direction=in", doc_path=letters, **other)  # 403

    status, doc = call("POST", packages, {"request": rq, "items": [
        {"object": allowed}, {"object": blocked, "folder": "W-00701"}]}, **legal)
    check(doc and doc["gate"][1]["allowed"] is False
          and doc["gate"][1]["reason"] == "W-00701: consent v1 does not cover lawyers"
          and doc["renew"] == ["W-00701"], "the gate blocks the second item and says why")
    pk = doc["id"] if doc else nothing
    version = doc["version"] if doc else 1
    call("POST", packages, {"request": rq, "items": "all"}, **legal)  # 400
    call("POST", packages, {"request": "RQ-2099-9999", "items": []}, **legal)  # 404
    call("POST", packages, {"request": rq, "items": []}, **other)  # 403
    call("POST", packages, {"request": rq, "items": []}, jar=anonymous)  # 401
    status, doc = call("POST", packages + "/%s/submit" % pk, {"version": version},
                       doc_path=submit, **legal)
    check(status == 409 and doc and "does not cover lawyers" in doc["error"]["message"],
          "a blocked item keeps the package from review, with the gate's reason")
    call("GET", packages, query="?request=" + rq, jar=jars["legal"])
    call("GET", packages, jar=jars["analyst"])  # 403
    call("GET", packages, jar=anonymous)  # 401

    status, doc = call("PUT", packages + "/%s/items" % pk, {"version": version,
                       "items": [{"object": allowed}]}, doc_path=items, **legal)
    version = doc["version"] if doc else version
    call("PUT", packages + "/%s/items" % pk, {"version": 1, "items": []}, doc_path=items,
         **legal)  # 409
    call("PUT", packages + "/%s/items" % pk, {"version": version}, doc_path=items, **legal)  # 400
    call("PUT", packages + "/%s/items" % nothing, {"version": 1, "items": []}, doc_path=items,
         **legal)  # 404
    call("PUT", packages + "/%s/items" % pk, {"version": version, "items": []}, doc_path=items,
         **other)  # 403
    call("PUT", packages + "/%s/items" % pk, {"version": version, "items": []}, doc_path=items,
         jar=anonymous)  # 401

    where = packages + "/%s/items/%s/redaction" % (pk, allowed)
    status, doc = call("POST", where, {"version": version}, doc_path=redaction, **legal)
    check(doc and doc["log"] and doc["log"][0]["kind"] == "name",
          "the transcript is pseudonymised, and the log says what kind was removed")
    version = doc["package"]["version"] if doc else version
    call("POST", where, {"boxes": [{"page": 1}]}, doc_path=redaction, **legal)  # 400
    call("POST", where, {"version": 1}, doc_path=redaction, **legal)  # 409
    call("POST", packages + "/%s/items/%s/redaction" % (nothing, allowed), {},
         doc_path=redaction, **legal)  # 404
    call("POST", where, {}, doc_path=redaction, **other)  # 403
    call("POST", where, {}, doc_path=redaction, jar=anonymous)  # 401
    where = packages + "/%s/items/%s/review" % (pk, allowed)
    status, doc = call("POST", where, {"version": version}, doc_path=review, **legal)
    version = doc["version"] if doc else version
    call("POST", packages + "/%s/items/%s/review" % (pk, blocked), {}, doc_path=review,
         **legal)  # 409: nothing to review
    call("POST", where, {"version": "x"}, doc_path=review, **legal)  # 400
    call("POST", packages + "/%s/items/%s/review" % (nothing, allowed), {}, doc_path=review,
         **legal)  # 404
    call("POST", where, {}, doc_path=review, **other)  # 403
    call("POST", where, {}, doc_path=review, jar=anonymous)  # 401
    # The batch forms, for packages of hundreds of statements: nothing is left to do here.
    for step in ("redactions", "reviews"):
        batch = package + "/" + step
        status, doc = call("POST", packages + "/%s/%s" % (pk, step), {"version": version},
                           doc_path=batch, **legal)
        check(doc and doc["version"] == version, "%s: nothing left to do, no new version" % step)
        call("POST", packages + "/%s/%s" % (pk, step), {"version": version - 1},
             doc_path=batch, **legal)  # 409
        call("POST", packages + "/%s/%s" % (pk, step), {"objects": "all"}, doc_path=batch,
             **legal)  # 400
        call("POST", packages + "/%s/%s" % (nothing, step), {"version": 1}, doc_path=batch,
             **legal)  # 404
        call("POST", packages + "/%s/%s" % (pk, step), {"version": version}, doc_path=batch,
             **other)  # 403
        call("POST", packages + "/%s/%s" % (pk, step), {"version": version}, doc_path=batch,
             jar=anonymous)  # 401

    status, doc = call("POST", packages + "/%s/submit" % pk, {"version": version},
                       doc_path=submit, **legal)
    check(doc and doc["state"] == "in-review", "the package goes to review")
    version = doc["version"] if doc else version
    call("POST", packages + "/%s/submit" % pk, {}, doc_path=submit, **legal)  # 400
    call("POST", packages + "/%s/submit" % nothing, {"version": 1}, doc_path=submit,
         **legal)  # 404
    call("POST", packages + "/%s/submit" % pk, {"version": 1}, doc_path=submit, **other)  # 403
    call("POST", packages + "/%s/submit" % pk, {"version": 1}, doc_path=submit, jar=anonymous)
    status, doc = call("POST", packages + "/%s/changes" % pk, {"version": version,
                       "note": "describe the item"}, doc_path=changes, **lead)
    version = doc["version"] if doc else version
    call("POST", packages + "/%s/changes" % pk, {"version": version, "note": "again"},
         doc_path=changes, **lead)  # 409: no longer in review
    call("POST", packages + "/%s/changes" % pk, {"version": version}, doc_path=changes,
         **lead)  # 400: no note
    call("POST", packages + "/%s/changes" % pk, {"note": 1}, doc_path=changes, **lead)  # 400
    call("POST", packages + "/%s/changes" % nothing, {"version": 1, "note": "x"},
         doc_path=changes, **lead)  # 404
    call("POST", packages + "/%s/changes" % pk, {"version": 1, "note": "x"}, doc_path=changes,
         **other)  # 403
    call("POST", packages + "/%s/changes" % pk, {"version": 1, "note": "x"}, doc_path=changes,
         jar=anonymous)  # 401
    status, doc = call("PUT", packages + "/%s/items" % pk, {"version": version, "items": [
        {"object": allowed, "description": "Interview transcript"}]}, doc_path=items, **legal)
    check(doc and doc["items"][0]["delivered_object"] and doc["items"][0]["redaction_reviewed_by"]
          == "legal", "a kept item keeps its redaction and its review")
    version = doc["version"] if doc else version
    status, doc = call("POST", packages + "/%s/submit" % pk, {"version": version},
                       doc_path=submit, **legal)
    version = doc["version"] if doc else version
    status, doc = call("POST", packages + "/%s/approve" % pk, {"version": version},
                       doc_path=approve, **legal)
    check(status == 409 and doc and "did not build or change it" in doc["error"]["message"],
          "the builder may not approve")
    call("POST", packages + "/%s/approve" % pk, {"version": "x"}, doc_path=approve, **lead)
    call("POST", packages + "/%s/approve" % nothing, {"version": 1}, doc_path=approve, **lead)
    call("POST", packages + "/%s/approve" % pk, {"version": version}, doc_path=approve, **other)
    call("POST", packages + "/%s/approve" % pk, {"version": 1}, doc_path=approve, jar=anonymous)
    status, doc = call("POST", packages + "/%s/approve" % pk, {"version": version},
                       doc_path=approve, **lead)
    check(doc and doc["state"] == "approved" and doc["approved_by"] == "lead",
          "the lead approves")
    version = doc["version"] if doc else version
    call("GET", packages + "/" + pk, doc_path=package, jar=jars["legal"])
    call("GET", packages + "/" + nothing, doc_path=package, jar=jars["legal"])  # 404
    call("GET", packages + "/" + pk, doc_path=package, jar=jars["legal.b"])  # 403
    call("GET", packages + "/" + pk, doc_path=package, jar=anonymous)  # 401
    status, doc = call("GET", packages + "/%s/history" % pk, doc_path=history,
                       jar=jars["legal"])
    check(doc and [v["state"] for v in doc["versions"]][-1] == "approved", "every version kept")
    call("GET", packages + "/%s/history" % nothing, doc_path=history, jar=jars["legal"])
    call("GET", packages + "/%s/history" % pk, doc_path=history, jar=jars["legal.b"])  # 403
    call("GET", packages + "/%s/history" % pk, doc_path=history, jar=anonymous)  # 401

    with tempfile.TemporaryDirectory() as keys:
        key = os.path.join(keys, "key.txt")
        subprocess.run(["age-keygen", "-o", key], check=True, capture_output=True)
        recipient = subprocess.run(["age-keygen", "-y", key], check=True, capture_output=True,
                                   text=True).stdout.strip()
        call("GET", packages + "/%s/export" % pk, doc_path=export, jar=jars["legal"])  # 404
        call("POST", packages + "/%s/export" % pk, {"version": version,
             "recipients": ["age1nonsense"]}, doc_path=export, **legal)  # 400
        call("POST", packages + "/%s/export" % pk, {"version": version, "recipients": [recipient]},
             doc_path=export, **other)  # 403
        call("POST", packages + "/%s/export" % nothing, {"version": 1, "recipients": [recipient]},
             doc_path=export, **legal)  # 404
        call("POST", packages + "/%s/export" % pk, {"version": version, "recipients": [recipient]},
             doc_path=export, jar=anonymous)  # 401
        status, doc = call("POST", packages + "/%s/export" % pk, {"version": version,
                           "recipients": [recipient]}, doc_path=export, **legal)
        check(doc and doc["package"]["state"] == "exported" and doc["files"] == 1,
              "the approved package is exported")
        call("POST", packages + "/%s/export" % pk, {"version": version + 1,
             "recipients": [recipient]}, doc_path=export, **legal)  # 409: exported already
        status, data = call("GET", packages + "/%s/export" % pk, doc_path=export,
                            jar=jars["legal"])
        if data:
            path = os.path.join(keys, "package.tar.age")
            with open(path, "wb") as f:
                f.write(data)
            opened = subprocess.run(["age", "-d", "-i", key, "-o", os.path.join(keys, "p.tar"),
                                     path], capture_output=True)
            check(opened.returncode == 0, "the download decrypts with the recipient's key")
        call("GET", packages + "/%s/export" % pk, doc_path=export, jar=jars["legal.b"])  # 403
        call("GET", packages + "/%s/export" % pk, doc_path=export, jar=anonymous)  # 401

    status, doc = call("GET", disclosures, jar=jars["legal"])
    check(doc and len(doc["disclosures"]) == 1 and doc["disclosures"][0]["request"] == rq
          and doc["disclosures"][0]["consent_version"] == 1
          and doc["disclosures"][0]["recipient"]["kind"] == "lawyer",
          "the disclosure log says what went to whom under which consent")
    status, doc = call("GET", disclosures, jar=jars["legal.b"])
    check(doc is not None and doc["disclosures"] == [], "Partner B's log is empty")
    call("GET", disclosures, jar=jars["analyst"])  # 403
    call("GET", disclosures, jar=anonymous)  # 401
    status, doc = call("GET", "/api/v1/witnesses/W-00700/disclosures", doc_path=witness_history,
                       jar=jars["lead"])
    check(doc and len(doc["disclosures"]) == 1 and doc["holders"][0]["request"] == rq,
          "the witness's history names the request whose recipient holds their material")
    call("GET", "/api/v1/witnesses/W-99999/disclosures", doc_path=witness_history,
         jar=jars["legal"])  # 404
    call("GET", "/api/v1/witnesses/W-00700/disclosures", doc_path=witness_history,
         jar=jars["legal.b"])  # 403
    call("GET", "/api/v1/witnesses/W-00700/disclosures", doc_path=witness_history,
         jar=anonymous)  # 401
    # The witness withdraws consent: the answer names whom to notify.
    status, doc = call("POST", "/api/v1/witnesses/W-00700/consents",
                       {"given_on": "2026-01-10", "taken_by": "intake officer K.",
                        "scopes": ["internal-analysis"], "withdrawn_on": "2026-11-01"},
                       doc_path="/api/v1/witnesses/{code}/consents", **lead)
    check(doc and [h["request"] for h in doc.get("notify", [])] == [rq],
          "a withdrawal names the recipients who hold the witness's material")


def exercise(spec, url):
    seen = set()

    def call(method, path, body=None, jar=None, csrf=None, raw=None, query="", doc_path=None,
             headers=None):
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(url + path + query, method=method, data=data)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if raw is not None:
            req.add_header("Content-Type", "application/octet-stream")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        path = doc_path or path
        if csrf:
            req.add_header("X-CSRF-Token", csrf)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            with opener.open(req) as resp:
                status, data = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        op = spec["paths"][path][method.lower()]
        documented = op["responses"].get(str(status))
        check(documented is not None, "%s %s -> %d is documented" % (method, path, status))
        seen.add((method, path, status))
        if os.environ.get("OPENAPI_DEBUG"):
            print("CALL", method, path, query, status, data[:300], file=sys.stderr)
        if documented is None:
            return status, None
        documented = resolve(spec, documented)
        if {"application/octet-stream", "image/png"} & set(documented.get("content", {})):
            check(status in (200, 206), "%s %s -> %d sends bytes" % (method, path, status))
            return status, data
        content = documented.get("content", {}).get("application/json")
        if content is None:
            check(not data, "%s %s -> %d has no body, as documented" % (method, path, status))
            return status, None
        try:
            doc = json.loads(data)
            jsonschema.validate(doc, content["schema"])
            check(True, "%s %s -> %d matches its schema" % (method, path, status))
        except (ValueError, jsonschema.ValidationError) as e:
            check(False, "%s %s -> %d does not match its schema: %s" % (method, path, status, e))
            doc = None
        return status, doc

    anonymous = http.cookiejar.CookieJar()
    call("GET", "/api/v1/health", jar=anonymous)
    call("POST", "/api/v1/session", {"username": "admin", "password": "wrong"}, jar=anonymous)
    call("POST", "/api/v1/session", {"nonsense": 1}, jar=anonymous)
    for path in ("/api/v1/session", "/api/v1/users", "/api/v1/hub"):
        call("GET", path, jar=anonymous)

    jars = {}
    for user in ("admin", "analyst", "lead", "analyst.b", "legal", "legal.b"):
        jars[user] = http.cookiejar.CookieJar()
        status, doc = call("POST", "/api/v1/session",
                           {"username": user, "password": user + " password!"}, jar=jars[user])
        jars[user].csrf = doc["csrf_token"] if doc else ""
    for user in ("admin", "analyst"):
        for path in ("/api/v1/session", "/api/v1/users", "/api/v1/hub"):
            call("GET", path, jar=jars[user])
    # Evidence: the analyst uploads, lists and downloads; the admin (no evidence role) may not.
    objects = "/api/v1/objects"
    content = "/api/v1/objects/{id}/content"
    status, doc = call("POST", objects, raw=b"evidence bytes", query="?domain=W-00001",
                       jar=jars["analyst"], csrf=jars["analyst"].csrf)
    call("POST", objects, raw=b"x", jar=jars["analyst"], csrf=jars["analyst"].csrf)  # 400
    call("POST", objects, raw=b"x", query="?domain=W-00001&sensitivity=secret",
         jar=jars["analyst"], csrf=jars["analyst"].csrf)  # 400
    call("POST", objects, raw=b"x", query="?domain=W-1", jar=jars["admin"],
         csrf=jars["admin"].csrf)  # 403
    call("GET", objects, query="?limit=5", jar=jars["analyst"])
    call("GET", objects, query="?limit=0", jar=jars["analyst"])  # 400
    call("GET", objects, jar=jars["admin"])  # 403
    if doc:
        oid = doc["id"]
        status, data = call("GET", "/api/v1/objects/%s/content" % oid, jar=jars["analyst"],
                            doc_path=content)
        check(data == b"evidence bytes", "the download returns the uploaded bytes")
        call("GET", "/api/v1/objects/%s/content" % oid, jar=jars["analyst"], doc_path=content,
             headers={"Range": "bytes=0-7"})
        call("GET", "/api/v1/objects/%s/content" % oid, jar=jars["analyst"], doc_path=content,
             headers={"Range": "bytes=100-"})  # 416
        call("GET", "/api/v1/objects/%s/content" % oid, jar=jars["admin"], doc_path=content)
        verify = "/api/v1/objects/{id}/verify"
        status, doc = call("POST", "/api/v1/objects/%s/verify" % oid, jar=jars["analyst"],
                           csrf=jars["analyst"].csrf, doc_path=verify)
        check(doc and doc["verified"] is True, "a sound object verifies")
        call("POST", "/api/v1/objects/%s/verify" % oid, jar=jars["admin"],
             csrf=jars["admin"].csrf, doc_path=verify)  # 403
        call("POST", "/api/v1/objects/%s/verify" % ("0" * 32), jar=jars["analyst"],
             csrf=jars["analyst"].csrf, doc_path=verify)  # 404
    call("GET", "/api/v1/objects/%s/content" % ("0" * 32), jar=jars["analyst"], doc_path=content)

    call("GET", "/api/v1/dashboard", jar=jars["analyst"])
    call("GET", "/api/v1/dashboard", jar=jars["admin"])
    call("GET", "/api/v1/dashboard", jar=anonymous)  # 401

    exercise_witnesses(call, jars, anonymous)
    exercise_collection(call, jars, anonymous)
    exercise_search(call, jars, anonymous)
    exercise_coding(call, jars, anonymous)
    exercise_disclosure(call, jars, anonymous)

    # Accounts: the administrator adds a user, grants and revokes, disables; the analyst may not.
    admin = dict(jar=jars["admin"], csrf=jars["admin"].csrf)
    call("GET", "/api/v1/organisations", jar=jars["admin"])
    call("GET", "/api/v1/organisations", jar=jars["analyst"])  # 403
    new_user = {"username": "reviewer.a", "organisation": "Partner A",
                "password": "reviewer password", "roles": ["reviewer"]}
    call("POST", "/api/v1/users", new_user, **admin)
    call("POST", "/api/v1/users", new_user, **admin)  # 409
    call("POST", "/api/v1/users", dict(new_user, username="x y"), **admin)  # 400
    call("POST", "/api/v1/users", dict(new_user, username="other", organisation="Nowhere"),
         **admin)  # 404
    call("POST", "/api/v1/users", new_user, jar=jars["analyst"], csrf=jars["analyst"].csrf)
    grants = "/api/v1/users/{username}/grants"
    call("POST", "/api/v1/users/reviewer.a/grants", {"organisation": "Partner A",
         "role": "legal-officer"}, doc_path=grants, **admin)
    call("POST", "/api/v1/users/reviewer.a/grants", {"role": 1}, doc_path=grants, **admin)
    call("POST", "/api/v1/users/nobody/grants", {"organisation": "Partner A",
         "role": "analyst"}, doc_path=grants, **admin)  # 404
    call("DELETE", "/api/v1/users/reviewer.a/grants", doc_path=grants,
         query="?organisation=Partner%20A&role=legal-officer", **admin)
    call("DELETE", "/api/v1/users/admin/grants", doc_path=grants,
         query="?organisation=Partner%20A&role=administrator", **admin)  # 409
    call("DELETE", "/api/v1/users/reviewer.a/grants", doc_path=grants, query="?role=x",
         **admin)  # 400
    disabled = "/api/v1/users/{username}/disabled"
    call("POST", "/api/v1/users/reviewer.a/disabled", {"disabled": True}, doc_path=disabled,
         **admin)
    call("POST", "/api/v1/users/reviewer.a/disabled", {"disabled": "yes"}, doc_path=disabled,
         **admin)  # 400
    call("POST", "/api/v1/users/admin/disabled", {"disabled": True}, doc_path=disabled,
         **admin)  # 409
    call("POST", "/api/v1/users/nobody/disabled", {"disabled": False}, doc_path=disabled,
         **admin)  # 404
    call("POST", "/api/v1/users/reviewer.a/disabled", {"disabled": False}, doc_path=disabled,
         jar=jars["analyst"], csrf=jars["analyst"].csrf)  # 403

    # The audit trail: administrators see it, page by page; analysts do not.
    status, doc = call("GET", "/api/v1/audit", query="?limit=2", jar=jars["admin"])
    if doc and doc["next"] is not None:
        call("GET", "/api/v1/audit", query="?limit=2&before=%d" % doc["next"], jar=jars["admin"])
    call("GET", "/api/v1/audit", query="?action=session.start", jar=jars["admin"])
    call("GET", "/api/v1/audit", query="?limit=x", jar=jars["admin"])  # 400
    call("GET", "/api/v1/audit", jar=jars["analyst"])  # 403

    # Second factor: the analyst has not started an enrolment (409); the admin enrols.
    call("POST", "/api/v1/session/totp/confirm", {"code": "123456"}, jar=jars["analyst"],
         csrf=jars["analyst"].csrf)
    call("POST", "/api/v1/session/totp", {}, jar=jars["admin"])  # no CSRF token: 403
    status, doc = call("POST", "/api/v1/session/totp", {}, jar=jars["admin"],
                       csrf=jars["admin"].csrf)
    call("POST", "/api/v1/session/totp/confirm", {"code": "nope"}, jar=jars["admin"],
         csrf=jars["admin"].csrf)
    if doc:
        secret = doc["otpauth_uri"].split("secret=")[1].split("&")[0]
        call("POST", "/api/v1/session/totp/confirm", {"code": totp_now(secret)},
             jar=jars["admin"], csrf=jars["admin"].csrf)
        status, doc = call("POST", "/api/v1/session",
                           {"username": "admin", "password": "admin password!"},
                           jar=http.cookiejar.CookieJar())
        check(doc and doc["error"]["code"] == "totp_required",
              "once enrolled, sign-in asks for the code")
    call("POST", "/api/v1/session/totp", {}, jar=anonymous)  # 401
    call("DELETE", "/api/v1/session", jar=jars["analyst"])  # no CSRF token needed to sign out
    call("DELETE", "/api/v1/session", jar=jars["analyst"], csrf=jars["analyst"].csrf)  # 401

    # Every documented route was called at least once.
    called = {(m, p) for m, p, _ in seen}
    for method, path in sorted({(m.upper(), p) for p, ops in spec["paths"].items() for m in ops
                                if m in METHODS}):
        check((method, path) in called, "%s %s was exercised" % (method, path))


if __name__ == "__main__":
    sys.exit(main())
