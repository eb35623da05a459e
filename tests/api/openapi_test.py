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
import urllib.request

import jsonschema
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EVHUB = os.environ.get("EVHUB_BIN", os.path.join(ROOT, "build", "evhub"))
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
passed = failed = 0


def check(ok, what):
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
        for user, role in (("admin", "administrator"), ("analyst", "analyst")):
            evhub("user", "add", user, "--org", "Partner A", "--role", role,
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
        if documented is None:
            return status, None
        documented = resolve(spec, documented)
        if "application/octet-stream" in documented.get("content", {}):
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
    for user in ("admin", "analyst"):
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
