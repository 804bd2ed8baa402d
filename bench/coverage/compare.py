#!/usr/bin/python3
"""Times the same one-type coverage in PostGIS (GiST index, ST_DWithin) and geopandas
(buffer + sjoin, exact distance filter) on the CSVs coverage_bench wrote, checks that all three
count the same covered points and population, and prints a Markdown table with medians and
ratios. Usage: compare.py OUT_DIR [--reps N]. Runs PostgreSQL as a throwaway cluster in a temp
dir (as the postgres system user when run as root)."""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

PG_BIN = "/usr/lib/postgresql/15/bin"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, capture_output=True, text=True, **kw).stdout


def postgis(out, radius, reps):
    tmp = tempfile.mkdtemp(prefix="lifecircle-pgbench-")
    as_pg = "runuser -u postgres -- " if os.geteuid() == 0 else ""
    if os.geteuid() == 0:
        sh(f"chown postgres: {tmp}")
        os.chmod(tmp, 0o755)
    port = free_port()
    try:
        sh(f"{as_pg}{PG_BIN}/initdb --username=postgres --auth=trust -D {tmp}/data")
        sh(f'{as_pg}{PG_BIN}/pg_ctl -D {tmp}/data -l {tmp}/log -w -o "-p {port} -k {tmp} '
           f'-c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB" start')
        psql = f"{PG_BIN}/psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p {port} -U postgres -d postgres"
        demand, fac = os.path.abspath(f"{out}/demand.csv"), os.path.abspath(f"{out}/facilities.csv")
        setup = f"""
CREATE EXTENSION postgis;
CREATE TABLE demand_raw (id int, pop double precision, x double precision, y double precision);
CREATE TABLE fac_raw (id int, x double precision, y double precision);
\\copy demand_raw FROM '{demand}' CSV HEADER
\\copy fac_raw FROM '{fac}' CSV HEADER
CREATE TABLE demand AS SELECT id, pop, ST_SetSRID(ST_MakePoint(x, y), 32651) AS geom FROM demand_raw;
CREATE TABLE fac AS SELECT id, ST_SetSRID(ST_MakePoint(x, y), 32651) AS geom FROM fac_raw;
CREATE INDEX ON fac USING gist (geom);
CREATE INDEX ON demand USING gist (geom);
VACUUM ANALYZE;
"""
        with open(f"{tmp}/setup.sql", "w") as f:
            f.write(setup)
        sh(f"{psql} -f {tmp}/setup.sql")
        query = (f"SELECT count(*), sum(pop) FROM demand d WHERE EXISTS "
                 f"(SELECT 1 FROM fac f WHERE ST_DWithin(d.geom, f.geom, {radius!r}));")
        # Every run in one session with \timing: the server-side time of the query alone.
        with open(f"{tmp}/q.sql", "w") as f:
            f.write("\\timing on\n" + (query + "\n") * (reps + 1))
        text = sh(f"{psql} -f {tmp}/q.sql")
        times = [float(t) for t in re.findall(r"Time: ([0-9.]+) ms", text)][1:]
        rows = [l for l in text.splitlines() if "|" in l]
        count, pop = rows[0].split("|")
        return {"median_ms": statistics.median(times), "covered_points": int(count),
                "covered_population": float(pop)}
    finally:
        subprocess.run(f"{as_pg}{PG_BIN}/pg_ctl -D {tmp}/data -m immediate -w stop", shell=True,
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def geopandas_run(out, radius, reps):
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    dem = pd.read_csv(f"{out}/demand.csv")
    fac = pd.read_csv(f"{out}/facilities.csv")
    dg = gpd.GeoDataFrame(geometry=gpd.points_from_xy(dem.x, dem.y), crs=32651)
    fg = gpd.GeoDataFrame(geometry=gpd.points_from_xy(fac.x, fac.y), crs=32651)
    dx, dy, fxs, fys = dem.x.values, dem.y.values, fac.x.values, fac.y.values

    def once():
        # A disc polygon is inscribed in the circle, so buffer a little wider and then keep the
        # pairs whose exact distance is within the radius.
        discs = fg.copy()
        discs["geometry"] = fg.buffer(radius * 1.01, resolution=16)
        pairs = gpd.sjoin(dg, discs, predicate="within", how="inner")
        li, ri = pairs.index.values, pairs.index_right.values
        d = np.hypot(dx[li] - fxs[ri], dy[li] - fys[ri])
        covered = np.unique(li[d <= radius])
        return covered

    once()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        covered = once()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"median_ms": statistics.median(times), "covered_points": int(len(covered)),
            "covered_population": float(dem["pop"].values[covered].sum())}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench-coverage-out"
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 5
    ours = json.load(open(f"{out}/ours.json"))
    radius = ours["radius_m"]
    pg = postgis(out, radius, reps)
    gp = geopandas_run(out, radius, reps)
    mine = ours["one_type_counts"]["wall_ms"]
    result = {"ours": ours, "postgis": pg, "geopandas": gp}
    json.dump(result, open(f"{out}/compare.json", "w"), indent=2)
    same = lambda r: r["covered_points"] == ours["covered_points"] and \
        abs(r["covered_population"] - ours["covered_population"]) < 1e-6
    print(f"dataset: {ours['dataset']}: {ours['demand_points']} demand points, "
          f"{ours['facilities']} facilities, straight-line radius {radius:.1f} m")
    print("| engine | median ms | vs lifecircle | covered points | covered population | same counts |")
    print("|---|---|---|---|---|---|")
    print(f"| lifecircle (wall; CPU {ours['one_type_counts']['cpu_ms']:.1f}) | {mine:.1f} | 1.0x | "
          f"{ours['covered_points']} | {ours['covered_population']:.0f} | - |")
    print(f"| lifecircle, cached (warm) | {ours['one_type_cached']['wall_ms']:.4f} | - | | | |")
    for name, r in (("PostGIS 3.3 ST_DWithin + GiST", pg), ("geopandas 0.12 buffer+sjoin", gp)):
        print(f"| {name} | {r['median_ms']:.1f} | {r['median_ms'] / mine:.1f}x slower | "
              f"{r['covered_points']} | {r['covered_population']:.0f} | {'yes' if same(r) else 'NO'} |")
    print(f"all three families (counts): {ours['all_families_counts']['wall_ms']:.1f} ms wall, "
          f"{ours['all_families_counts']['cpu_ms']:.1f} ms CPU; one type with area coverage: "
          f"{ours['one_type_with_area']['wall_ms']:.1f} ms wall")
    return 0 if same(pg) and same(gp) else 1


if __name__ == "__main__":
    sys.exit(main())
