#!/usr/bin/python3
"""Independent expected values for tests/network/people_square_test.cpp.

Re-implements, without any lifecircle code, the walk rule (drop motorways, foot=no, access=no
without foot=yes; every other highway class in this extract is walkable; one-way ignored), a
haversine-length undirected graph over OSM nodes, its largest component, and a plain Dijkstra.
Run: /usr/bin/python3 tests/data/network/people_square_expected.py
"""
import heapq
import math
import sys
import xml.etree.ElementTree as ET

R = 6371008.8  # the mean Earth radius lifecircle::haversine_m uses too


def hav(a, b):
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dp, dl = p2 - p1, math.radians(b[0] - a[0])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(min(1, math.sqrt(h)))


import os
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "people_square_drive_network.osm")
root = ET.parse(path).getroot()
loc = {int(n.get("id")): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
adj = {}
kept = excluded = 0
ways = {}
for w in root.iter("way"):
    tags = {t.get("k"): t.get("v") for t in w.iter("tag")}
    hw, foot, access = tags.get("highway", ""), tags.get("foot", ""), tags.get("access", "")
    ok = hw != "" and foot != "no" and not hw.startswith("motorway") and not (
        access == "no" and foot not in ("yes", "designated", "permissive"))
    if not ok:
        excluded += 1
        continue
    kept += 1
    refs = [int(nd.get("ref")) for nd in w.iter("nd")]
    ways[int(w.get("id"))] = (refs, tags)
    for a, b in zip(refs, refs[1:]):
        if a == b:
            continue
        d = hav(loc[a], loc[b])
        adj.setdefault(a, {})[b] = min(d, adj.get(a, {}).get(b, 1e18))
        adj.setdefault(b, {})[a] = min(d, adj.get(b, {}).get(a, 1e18))

# components
seen, comps = set(), []
for s in adj:
    if s in seen:
        continue
    stack, comp = [s], []
    seen.add(s)
    while stack:
        x = stack.pop()
        comp.append(x)
        for y in adj[x]:
            if y not in seen:
                seen.add(y)
                stack.append(y)
    comps.append(comp)
comps.sort(key=len, reverse=True)
edges = sum(len(v) for v in adj.values()) // 2
big = set(comps[0])
big_edges = sum(1 for x in big for y in adj[x]) // 2


def dijkstra(src):
    dist = {src: 0.0}
    pq = [(0.0, src)]
    while pq:
        d, x = heapq.heappop(pq)
        if d > dist[x]:
            continue
        for y, w in adj[x].items():
            nd = d + w
            if nd < dist.get(y, 1e18):
                dist[y] = nd
                heapq.heappush(pq, (nd, y))
    return dist


print(f"ways kept {kept} excluded {excluded}")
print(f"graph nodes {len(adj)} edges {edges} components {len(comps)} sizes {[len(c) for c in comps[:8]]}")
print(f"largest component nodes {len(big)} edges {big_edges}")
pairs = [(int(a), int(b)) for a, b in (p.split(":") for p in sys.argv[1:])]
for a, b in pairs:
    d = dijkstra(a)
    print(f"{a} -> {b}: network {d.get(b, float('inf')):.2f} m, straight {hav(loc[a], loc[b]):.2f} m")
