#!/usr/bin/python3
"""OWSLib's OGC API - Features client (Debian's python3-owslib) against the real server: it
finds the JSON OpenAPI document through the landing page, reads each collection's queryables
(Part 3) and filters on them, and searches facilities with `q`; the counts are compared with
the same selections done here over all features.

usage: owslib_client_test.py LIFECIRCLE_BINARY MANIFEST
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from served import Checks, Served  # noqa: E402

from owslib.ogcapi.features import Features  # noqa: E402

check = Checks()
served = Served(sys.argv[1], sys.argv[2])
try:
    api = Features(served.url)
    doc = api.api()
    check(doc.get("openapi") == "3.0.3" and "/collections/{collectionId}/queryables" in
          doc.get("paths", {}), "OWSLib did not get the JSON OpenAPI document")
    tested = []
    for cid in api.feature_collections():
        queryables = api.collection_queryables(cid)
        everything = api.collection_items(cid, limit=10000)["features"]
        names = [n for n in queryables["properties"] if n != "geometry"]
        print(cid, "queryables:", names)
        for name in names:
            q = queryables["properties"][name]
            # A queryable is filtered on by its name, here on a value the data has; the parent
            # unit's code of streets/towns and committees is their `parent_code`.
            prop = name if name in everything[0]["properties"] else "parent_code"
            values = sorted({str(f["properties"].get(prop) or "") for f in everything} - {""})
            if not values:
                continue
            value = q.get("enum", values)[0] if "enum" in q and q["enum"][0] in values \
                else values[0]
            want = sum(1 for f in everything if str(f["properties"].get(prop)) == value)
            got = api.collection_items(cid, limit=1, **{name: value})["numberMatched"]
            check(got == want and want > 0,
                  f"{cid}?{name}={value}: numberMatched {got}, {want} features")
            tested.append(f"{cid}.{name}")
    check(len(tested) == 12, f"queryables filtered on: {tested}")
    facilities = api.collection_items("facilities", limit=10000)["features"]
    for term in ["养老院", "食堂", "SyNtHeTiC"]:
        want = sum(1 for f in facilities
                   if any(term.lower() in (f["properties"].get(k) or "").lower()
                          for k in ("name", "address")))
        got = api.collection_items("facilities", q=term, limit=1)["numberMatched"]
        print(f"q={term}: {got}")
        check(got == want and want > 0,
              f"q={term}: numberMatched {got}, a substring search finds {want}")
finally:
    rc = served.stop()
check(rc == 0, f"server exit status {rc} after SIGTERM")
check.finish()
