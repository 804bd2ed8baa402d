#!/usr/bin/python3
"""QGIS's OGC API - Features provider (Debian's python3-qgis, headless) against the real server
on the shipped data: every collection opens as a layer; facilities, districts and
streets_towns page through `next` links to as many features as the GeoPackage holds, with its
extent and the documented fields; and every field QGIS types from the first page it samples has
the kind api/openapi.yaml documents (QGIS 3.22's OAPIF provider reads no schema: a property null
in all of its 10 sampled features stays a string, which the test states rather than hides).
Through QGIS's OGR provider (GDAL's OAPIF driver, which reads the `describedBy` schema) every
field of every collection has exactly its documented type.

usage: qgis_client_test.py LIFECIRCLE_BINARY SHIPPED_MANIFEST
"""
import json
import os
import re
import sqlite3
import sys

import yaml

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from served import Checks, Served  # noqa: E402

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
binary, manifest = sys.argv[1], sys.argv[2]
gpkg = os.path.join(os.path.dirname(manifest), "shanghai.gpkg")
doc = yaml.safe_load(open(os.path.join(ROOT, "api", "openapi.yaml"), encoding="utf-8"))
schemas = {c: s for s in doc["components"]["schemas"].values() for c in s.get("x-collections", [])}

# What the GeoPackage itself holds, read with SQLite: rows and the extents its writer recorded.
db = sqlite3.connect(gpkg)
layers = {"facilities": ["facilities_real", "facilities_synthetic"],
          "districts": ["districts"], "streets_towns": ["streets_towns"]}
expected = {}
for collection, tables in layers.items():
    count = sum(db.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables)
    boxes = [db.execute("select min_x, min_y, max_x, max_y from gpkg_contents where table_name=?",
                        (t,)).fetchone() for t in tables]
    expected[collection] = (count, (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                    max(b[2] for b in boxes), max(b[3] for b in boxes)))

check = Checks()


examined = []
examined_ogr = []
QGIS_KIND = {"String": "string", "Integer": "integer", "Integer64": "integer", "Real": "number"}
served = Served(binary, manifest)
app = QgsApplication([], False)
app.initQgis()
try:
    for collection in ["facilities", "districts", "streets_towns", "committees", "population",
                       "plan_indicators"]:
        layer = QgsVectorLayer(f"url='{served.url}' typename='{collection}'", collection, "OAPIF")
        if not check(layer.isValid(), f"{collection}: QGIS cannot open the layer"):
            continue
        fields = [(f.name(), f.typeName()) for f in layer.fields()]
        print(collection, layer.featureCount(), layer.crs().authid(), fields)
        documented = schemas[collection]["properties"]
        names = [n for n, _ in fields]
        # QGIS adds the feature's `id` member as a field; the rest are the documented
        # properties, except ones absent from all 10 sampled features (QGIS never sees those).
        sample = served.get_json(f"/collections/{collection}/items?limit=10")["features"]
        present = [p for p in documented if any(p in f["properties"] for f in sample)]
        check([n for n in names if n != "id" or "id" in documented] == present,
              f"{collection}: QGIS fields {names}, documented and sampled {present}")
        for name, type_name in fields:
            if name not in documented:
                continue
            values = [f["properties"].get(name) for f in sample]
            want = documented[name]["type"]
            if all(v is None for v in values):
                check(type_name == "String", f"{collection}.{name}: {type_name} with no sample")
                print(f"  {collection}.{name}: null in all 10 sampled features, so QGIS 3.22 "
                      f"types it {type_name} (documented {want})")
                continue
            got = QGIS_KIND.get(type_name, type_name)
            # Whole numbers in a `number` property are typed integer by QGIS's sampling.
            if want == "number" and all(float(v).is_integer() for v in values if v is not None):
                check(got in ("integer", "number"), f"{collection}.{name}: {type_name}, {want}")
            else:
                check(got == want, f"{collection}.{name}: QGIS {type_name}, documented {want}")

        examined.append(collection)
        if collection not in expected:
            continue
        count, box = expected[collection]
        check(layer.crs().authid() == "EPSG:4326", f"{collection}: CRS {layer.crs().authid()}")
        e = layer.extent()
        got_box = (e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum())
        check(all(abs(a - b) < 1e-6 for a, b in zip(got_box, box)),
              f"{collection}: extent {got_box}, the GeoPackage says {box}")
        check(layer.featureCount() == count,
              f"{collection}: featureCount {layer.featureCount()}, GeoPackage rows {count}")
        before = served.log().count(f"GET /collections/{collection}/items")
        ids, numbers = set(), {}
        numeric = [n for n, t in fields if t in ("Integer", "Integer64", "Real")]
        n = 0
        for f in layer.getFeatures():
            n += 1
            ids.add(f["id"])
            for name in numeric:
                if f[name] is not None and not (hasattr(f[name], "isNull") and f[name].isNull()):
                    numbers[name] = numbers.get(name, 0) + f[name]
        pages = served.log().count(f"GET /collections/{collection}/items") - before
        print(f"  iterated {n} features ({len(ids)} ids) in {pages} item requests")
        check(n == count and len(ids) == count, f"{collection}: iterated {n} ({len(ids)} ids)")
        check(pages >= 2 or count <= 1000, f"{collection}: {pages} item requests: no paging")
        # The numbers QGIS read are the API's numbers.
        items = served.get_json(f"/collections/{collection}/items?limit=10000")["features"]
        for name, total in numbers.items():
            api = sum(f["properties"][name] or 0 for f in items)
            check(abs(total - api) < 1e-6 * max(1, abs(api)),
                  f"{collection}.{name}: QGIS sums {total}, the API {api}")
    # Through its OGR provider QGIS 3.22 uses GDAL's OAPIF driver, which reads the collection's
    # `describedBy` schema: there every documented field has its documented type.
    for collection, schema in sorted(schemas.items()):
        layer = QgsVectorLayer(f"OAPIF:{served.url}/|layername={collection}", collection, "ogr")
        if not check(layer.isValid(), f"{collection}: QGIS's OGR provider cannot open it"):
            continue
        types = {f.name(): QGIS_KIND.get(f.typeName(), f.typeName()) for f in layer.fields()}
        want = {p: s["type"] for p, s in schema["properties"].items()}
        print(f"{collection} (ogr provider):", types)
        check(all(types.get(p) == t for p, t in want.items()),
              f"{collection} through the ogr provider: {types}, documented {want}")
        examined_ogr.append(collection)
finally:
    # QGIS crashes at exit if a layer outlives the application it was made in.
    layer = None
    app.exitQgis()
    rc = served.stop()
check(rc == 0, f"server exit status {rc} after SIGTERM")
check(len(examined) == 6 and len(examined_ogr) == 6,
      f"only {examined} and {examined_ogr} were examined")
check.finish()
