#!/usr/bin/env bash
# Derives gis-data/sources/shanghai_sea_mask_gshhg.geojson, the sea (estuary, tidal flats,
# shoals) over the Shanghai extent, from GSHHG 2.3.7 full-resolution shorelines. build-data cuts
# it out of the district boundaries to get each district's land (gis-data/README.md).
# Needs the Debian packages gmt, gmt-gshhg-full and gdal-bin (scripts/install-deps.sh data).
# Rule: a 0.001-degree grid (about 100 m) marked land inside the GSHHG level-1 shoreline, with
# lakes (level 2) and islands in lakes counted as land, as the published land area counts
# inland water; the water cells are polygonised and simplified by 0.0002 degrees.
set -euo pipefail
cd "$(dirname "$0")/.."
out=gis-data/sources/shanghai_sea_mask_gshhg.geojson
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gmt grdlandmask -R120.8/122.2/30.6/31.95 -I0.001 -Df -N0/1/1/1/1 -G"$tmp/land.nc"
gdal_polygonize.py -q "$tmp/land.nc" -f GPKG "$tmp/mask.gpkg" mask value
rm -f "$out"
ogr2ogr -f GeoJSON "$out" "$tmp/mask.gpkg" mask -where "value = 0" -a_srs OGC:CRS84 \
  -simplify 0.0002 -lco COORDINATE_PRECISION=5
echo "wrote $out"
