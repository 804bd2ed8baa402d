#!/usr/bin/python3
"""Every operation documented in api/openapi.yaml, called on the real server, answers what the
document says: the status is documented, the body validates against the documented schema of
its media type (Debian's python3-jsonschema, OpenAPI 3.0 `nullable` read as JSON Schema's
null type), and every route the server answered under is documented. Besides: /api's JSON is
the YAML file as PyYAML reads it, each collection's features match their own properties
schema exactly, the served collection schemas agree with the document, and `q=` finds what a
substring search over all facilities finds.

usage: live_responses_test.py LIFECIRCLE_BINARY MANIFEST
"""
import copy
import json
import os
import re
import sys
import urllib.parse

import jsonschema
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from served import Checks, Served  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DOC_PATH = os.path.join(ROOT, "api", "openapi.yaml")
check = Checks()


def to_json_schema(node):
    """OpenAPI 3.0 schema objects -> JSON Schema (draft 4): `nullable: true` adds null."""
    if isinstance(node, list):
        return [to_json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items()}
    if out.pop("nullable", False) is True:
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = out["enum"] + [None]
        for key in ("oneOf", "anyOf"):
            if key in out:
                out[key] = out[key] + [{"type": "null"}]
    return out


with open(DOC_PATH, encoding="utf-8") as f:
    doc_text = f.read()
doc = yaml.safe_load(doc_text)


def inline_refs(node, root, depth=0):
    """Local `$ref`s replaced by what they point to (the document has no recursive ones)."""
    if depth > 50:
        raise ValueError("recursive $ref")
    if isinstance(node, list):
        return [inline_refs(x, root, depth) for x in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        return inline_refs(target, root, depth + 1)
    return {k: inline_refs(v, root, depth) for k, v in node.items()}


converted = to_json_schema(doc)


def validate(instance, schema, what):
    schema = inline_refs(schema, converted)
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(instance))
    for e in errors[:3]:
        check(False, f"{what}: {e.message[:300]} at {list(e.absolute_path)[:8]}")
    return not errors


def media(content_type):
    return content_type.split(";")[0].strip().lower()


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
    return node


exercised = set()  # (method, path template) answered with a documented response
validated = [0]  # responses that matched their documented schema


def call(method, template, path, expect=200, body=None, headers=None):
    """Calls one documented operation and checks status and body against the document."""
    op = doc["paths"][template][method]
    if method == "get":
        status, ctype, raw = served.get(path, headers)
    else:
        status, ctype, raw = served.post(path, body)
    what = f"{method.upper()} {path} ({status} {ctype})"
    if not check(status == expect, f"{what}: expected status {expect}: {raw[:200]!r}"):
        return status, None
    spec = op["responses"].get(str(status))
    if not check(spec is not None, f"{what}: status {status} is not documented"):
        return status, None
    spec = resolve(spec)
    content = spec.get("content", {})
    by_media = {media(k): (k, v) for k, v in content.items()}
    if not check(media(ctype) in by_media, f"{what}: media type not documented ({list(content)})"):
        return status, None
    declared, entry = by_media[media(ctype)]
    if ";" in declared:  # a documented parameter (version=...) must be sent as documented
        sent = {x.strip().lower() for x in ctype.split(";")[1:]}
        wanted = {x.strip().lower() for x in declared.split(";")[1:]}
        check(wanted <= sent, f"{what}: Content-Type {ctype!r}, documented {declared!r}")
    if media(ctype).endswith("json"):
        value = json.loads(raw)
    else:
        value = raw.decode("utf-8") if not media(ctype).startswith("image/png") else ""
    schema = to_json_schema(entry.get("schema", {}))
    if validate(value, schema, what):
        exercised.add((method, template))
        validated[0] += 1
    return status, value


served = Served(sys.argv[1], sys.argv[2])
try:
    # --- /api: JSON by default, YAML on request, the same document either way.
    status, api = call("get", "/api", "/api")
    check(api == doc, "GET /api (JSON) differs from api/openapi.yaml as PyYAML reads it")
    status, ctype, raw = served.get("/api?f=yaml")
    check(ctype == "application/vnd.oai.openapi;version=3.0" and raw.decode() == doc_text,
          f"GET /api?f=yaml: {ctype} and not the file's bytes")
    call("get", "/api", "/api?f=yaml")
    for accept, want in [("application/vnd.oai.openapi;version=3.0", "yaml"),
                         ("application/yaml", "yaml"),
                         ("application/vnd.oai.openapi+json;version=3.0", "json"),
                         ("application/json;q=0.5, application/yaml;q=0.9", "yaml"),
                         ("application/yaml;q=0.5, application/json", "json"),
                         ("*/*", "json"), ("text/html", "json")]:
        _, ctype, _ = served.get("/api", {"Accept": accept})
        got = "json" if "+json" in ctype else "yaml"
        check(got == want, f"GET /api with Accept {accept!r}: {ctype}, expected {want}")
    _, landing = call("get", "/", "/")
    descs = {l["type"]: l["href"] for l in landing["links"] if l["rel"] == "service-desc"}
    check(descs.get("application/vnd.oai.openapi+json;version=3.0", "").endswith("/api"),
          f"landing page: no JSON service-desc link to /api: {descs}")
    check(descs.get("application/vnd.oai.openapi;version=3.0", "").endswith("/api?f=yaml"),
          f"landing page: no YAML service-desc link: {descs}")

    # --- Capabilities
    call("get", "/conformance", "/conformance")
    call("get", "/health", "/health")
    call("get", "/metrics", "/metrics")
    call("get", "/health", "/health?bogus=1", expect=400)
    call("get", "/api", "/api?f=xml", expect=406)

    # --- Collections, their schemas and queryables, items and one item each.
    _, collections = call("get", "/collections", "/collections")
    ids = [c["id"] for c in collections["collections"]]
    check(ids == doc["components"]["parameters"]["collectionId"]["schema"]["enum"],
          f"collections {ids} differ from the documented collectionId enum")
    props_schemas = {}
    for name, s in doc["components"]["schemas"].items():
        for cid in s.get("x-collections", []):
            props_schemas[cid] = name
    check(sorted(props_schemas) == sorted(ids), f"x-collections cover {sorted(props_schemas)}")
    for cid in ids:
        _, coll = call("get", "/collections/{collectionId}", f"/collections/{cid}")
        rels = {l["rel"]: l for l in coll["links"]}
        for rel, suffix in [("describedBy", "/schemas/feature"),
                            ("http://www.opengis.net/def/rel/ogc/1.0/schema", "/schema"),
                            ("http://www.opengis.net/def/rel/ogc/1.0/queryables", "/queryables")]:
            check(rel in rels and rels[rel]["href"].endswith(f"/collections/{cid}{suffix}") and
                  rels[rel]["type"] == "application/schema+json",
                  f"collection {cid}: no {rel} link to {suffix}")
        _, part5 = call("get", "/collections/{collectionId}/schema", f"/collections/{cid}/schema")
        _, feature = call("get", "/collections/{collectionId}/schemas/feature",
                          f"/collections/{cid}/schemas/feature")
        _, queryables = call("get", "/collections/{collectionId}/queryables",
                             f"/collections/{cid}/queryables")
        # The served property schemas say what the document says, in the same order.
        documented = doc["components"]["schemas"][props_schemas[cid]]
        served_props = {k: v for k, v in part5["properties"].items() if k != "geometry"}
        check(list(served_props) == list(documented["properties"]),
              f"{cid}: /schema properties {list(served_props)} differ from "
              f"{props_schemas[cid]} {list(documented['properties'])}")
        # The feature schema leaves out a property `id` (it is the feature's id member).
        check(feature["properties"]["properties"]["properties"] ==
              {k: {kk: vv for kk, vv in v.items() if not kk.startswith("x-ogc")}
               for k, v in served_props.items() if k != "id"},
              f"{cid}: /schemas/feature and /schema disagree")
        check(sorted(part5["required"]) == sorted(documented.get("required", [])),
              f"{cid}: required {part5['required']} vs documented {documented.get('required')}")
        for name, p in served_props.items():
            d = documented["properties"].get(name, {})
            check(p["type"] == d.get("type"), f"{cid}.{name}: type {p['type']} vs {d.get('type')}")
            check(("null where unknown" in p.get("description", "")) == bool(d.get("nullable")),
                  f"{cid}.{name}: nullable differs between /schema and the document")
        check(("geometry" in part5["properties"]) == ("extent" in coll),
              f"{cid}: geometry role and spatial extent disagree")
        # Each queryable is a documented and accepted filter of the items; anything else 400.
        item_params = {resolve(p)["name"] for p in
                       doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]}
        for name, q in queryables["properties"].items():
            if name == "geometry":
                continue
            check(name in item_params, f"{cid}: queryable {name} is not a documented parameter")
            # A value of the queryable's own form: its first enum value, or a code of the
            # pattern's digit count (codes are checked; a well-formed unknown code matches none).
            digits = re.search(r"\{(\d+)\}", q.get("pattern", ""))
            value = q["enum"][0] if "enum" in q else "0" * int(digits.group(1)) if digits else "x"
            call("get", "/collections/{collectionId}/items",
                 f"/collections/{cid}/items?limit=1&{name}={value}")
        call("get", "/collections/{collectionId}/items",
             f"/collections/{cid}/items?limit=1&no_such_property=1", expect=400)

        # Every feature, paged, matches its collection's own properties schema exactly.
        strict = jsonschema.Draft4Validator(inline_refs(
            {"$ref": f"#/components/schemas/{props_schemas[cid]}"}, converted))
        _, page = call("get", "/collections/{collectionId}/items",
                       f"/collections/{cid}/items?limit=100")
        offset, bad = 0, 0
        while True:
            fc = served.get_json(f"/collections/{cid}/items?limit=10000&offset={offset}")
            for f in fc["features"]:
                errors = list(strict.iter_errors(f["properties"]))
                if errors:
                    bad += 1
                    if bad <= 3:
                        check(False, f"{cid} feature {f['id']}: {errors[0].message[:200]}")
            offset += len(fc["features"])
            if not fc["features"] or offset >= fc["numberMatched"]:
                break
        check(bad == 0, f"{cid}: {bad} of {offset} features fail {props_schemas[cid]}")
        first = page["features"][0]["id"]
        call("get", "/collections/{collectionId}/items/{featureId}",
             f"/collections/{cid}/items/{urllib.parse.quote(first, safe='')}")
    call("get", "/collections/{collectionId}", "/collections/nowhere", expect=404)
    call("get", "/collections/{collectionId}/schema", "/collections/nowhere/schema", expect=404)
    call("get", "/collections/{collectionId}/items/{featureId}",
         "/collections/facilities/items/no-such-id", expect=404)
    call("get", "/collections/{collectionId}/items", "/collections/facilities/items?f=xml",
         expect=406)

    # --- q=: the same ids as a substring search over every facility (done here, in Python).
    facilities = served.get_json("/collections/facilities/items?limit=10000")["features"]

    def expected_ids(terms):
        out = []
        for f in facilities:
            texts = [(f["properties"].get(k) or "").lower() for k in ("name", "address")]
            if any(t.lower() in x for t in terms for x in texts):
                out.append(f["id"])
        return out

    words = [w for f in facilities for w in re.findall(r"[A-Za-z]{4,}", f["properties"]["name"])]
    cases = [["养老院"], ["食堂", "助餐"], ["路"], ["不存在的名字"]]
    if words:
        cases.append([words[0].upper()])  # Latin letters match without case
    for terms in cases:
        want = expected_ids(terms)
        got, offset = [], 0
        query = urllib.parse.quote(",".join(terms))
        while True:
            fc = served.get_json(
                f"/collections/facilities/items?q={query}&limit=500&offset={offset}")
            got += [f["id"] for f in fc["features"]]
            offset += 500
            if offset >= fc["numberMatched"]:
                break
        check(fc["numberMatched"] == len(want) and got == want,
              f"q={','.join(terms)}: {len(got)} ids (numberMatched {fc['numberMatched']}), "
              f"a substring search finds {len(want)}")
        print(f"q={','.join(terms)}: {len(got)} facilities")
    check(len(expected_ids(["养老院"])) > 0, "no facility named 养老院 in the data: weak test")
    fam = served.get_json("/collections/facilities/items?q=%E9%A3%9F%E5%A0%82&family=meal&limit=1")
    check(fam["numberMatched"] == len([i for i in expected_ids(["食堂"])
                                       if next(f for f in facilities if f["id"] == i)
                                       ["properties"]["family"] == "meal"]),
          "q= combined with family= is not the intersection")
    call("get", "/collections/{collectionId}/items", "/collections/facilities/items?q=", expect=400)
    call("get", "/collections/{collectionId}/items", "/collections/districts/items?q=x",
         expect=400)

    # --- Analysis, in every documented format, on small selections.
    sel = "family=meal&by=district&area=false"
    for template, query in [
            ("/standards", ""), ("/coverage", sel), ("/coverage/gaps", sel),
            ("/service-areas", "family=meal"), ("/indicators/per-thousand", "family=eldercare"),
            ("/indicators/per-thousand", ""), ("/indicators/meal-capacity", ""),
            ("/indicators/columbaria", ""), ("/indicators/one-plus-n", "")]:
        formats = [""] if template == "/standards" else ["", "f=geojson", "f=csv"]
        if template == "/service-areas":
            formats = ["f=geojson", "f=csv"]
        if template == "/indicators/per-thousand" and not query:
            formats = [""]
        for fmt in formats:
            q = "&".join(x for x in (query, fmt) if x)
            call("get", template, template + ("?" + q if q else ""))
    call("get", "/coverage", "/coverage?family=meal&minutes=0", expect=400)
    call("get", "/coverage", "/coverage?family=meal&f=xml", expect=406)

    # --- Planning
    call("post", "/siting", "/siting",
         body={"type": "comprehensive_center", "k": 2, "grid_m": 2000})
    call("post", "/siting", "/siting?f=geojson",
         body={"type": "comprehensive_center", "k": 2, "grid_m": 2000})
    call("post", "/siting", "/siting",
         body={"type": "comprehensive_center", "k": 2, "district": "310101", "grid_m": 500,
               "method": "exact", "time_limit_s": 10})
    call("post", "/siting", "/siting", expect=400, body={"type": "comprehensive_center", "k": 0})
    status, scenario = call("post", "/scenarios", "/scenarios", expect=201,
                            body={"family": "meal", "changes": [
                                {"op": "remove", "id": facilities[0]["id"]}]})
    if scenario:
        call("get", "/scenarios/{scenarioId}", f"/scenarios/{scenario['id']}")
    call("get", "/scenarios/{scenarioId}", "/scenarios/none", expect=404)

    # --- Map
    call("get", "/map", "/map")
    call("get", "/map/{file}", "/map/app.js")
    call("get", "/map/{file}", "/map/styles.css")
    call("get", "/map/{file}", "/map/nothing.js", expect=404)

    # --- Coverage of the document: every operation exercised; every answered route documented.
    for path, item in doc["paths"].items():
        for method in ("get", "post"):
            if method in item:
                check((method, path) in exercised,
                      f"{method.upper()} {path} was not exercised with a valid answer (a new "
                      f"operation needs a call() above)")
    metrics = served.get("/metrics")[2].decode()
    documented = {re.sub(r"\{[^}]+\}", "{}", p) for p in doc["paths"]}
    for route in sorted(set(re.findall(r'route="([^"]*)"', metrics))):
        r = re.sub(r"\{[^}]+\}", "{}", route)
        check(r in documented or r.startswith("/map/{}"), f"route {route} is not documented")
    print(f"{len(exercised)} documented operations exercised, {validated[0]} responses valid")
finally:
    rc = served.stop()
check(rc == 0, f"server exit status {rc} after SIGTERM")
check.finish()
