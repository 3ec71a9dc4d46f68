#!/usr/bin/env python3
"""Cut small water maps (coast, lakes, rivers) for narod's city episodes.

What
    Reads the GSHHG shoreline and river databases in the binned netCDF form
    that GMT uses, keeps what falls inside a city's lon/lat box, simplifies it
    and writes one GeoJSON FeatureCollection per city with:

    * ``kind="land"``  polygons, ``level`` 1 (land) or 3 (island in a lake);
    * ``kind="lake"``  polygons, ``level`` 2 (lake) or 4 (pond on an island),
      ``riverlake`` true for GSHHG's double-lined river stretches;
    * ``kind="river"`` lines (centre lines), ``class`` = GSHHG river class
      (1 permanent major river ... 8 major canal, 9 minor canal, 10
      irrigation canal) and ``class_name``.

    The land and lake polygons of a file tile its box without overlaps: the
    sea is what no polygon covers.  To draw a map, fill the box with the
    water colour, paint ``land`` on top, then (optionally, they are holes in
    the land anyway) ``lake`` in the water colour, then ``river`` lines.

Why
    The episodes' maps need recognisable water (the Neva delta, the Nile,
    the Liffey, the Isar) without shipping a GIS stack or a large data set.

Limits
    GSHHG's shoreline is WVS at about 1:250,000.  Where a river is wide
    enough it is part of the coast (the Neva's delta channels up to about
    30.345 E, the Liffey's estuary up to about 6.23 W); elsewhere a river is
    only a centre line with no width (the Neva above the delta, the Nile at
    Cairo, whose islands show only as the gap between two branch lines, the
    Isar).  The Liffey above its estuary is not in GSHHG at all.

Source and licence
    GSHHG 2.3.7, full resolution, by Paul Wessel and Walter H. F. Smith
    (shorelines from WVS and WDBII, rivers from CIA World Data Bank II),
    LGPL-3+, as installed by Debian's package ``gmt-gshhg-full``
    (``/usr/share/gmt-gshhg/binned_GSHHS_f.nc`` and ``binned_river_f.nc``).
    The outputs are derived from it and carry that notice in their
    ``source`` member.

Format notes (GMT's binned files, read here with h5py)
    The world is cut into 1x1 degree bins (row 0 at the north pole, column 0
    at Greenwich).  Each bin has a list of segments: a piece of a polygon
    that enters and leaves the bin on its sides, or a whole polygon lying
    inside it.  Points are uint16 offsets, 1/65535 degree, from the bin's
    south-west corner.  A segment's info word packs its number of points
    (bits 9+), its level (bits 6-8), its entry side and its exit side (bits
    3-5 and 0-2; sides 0 S, 1 E, 2 N, 3 W; 4 means a closed polygon).  The
    bin's info word packs the levels (0 sea, 1 land, 2 lake, 3 island,
    4 pond) of its four corners.  Here the segments are noded with the
    box outline into faces, and each face gets its level by walking from
    the bin's south-west corner to it and counting the coast lines crossed.

How to run
    Needs Debian's gmt-gshhg-full and, from PyPI, h5py, numpy and shapely>=2.1::

        python tools/cut_water.py --out maps/            # all four cities
        python tools/cut_water.py --out maps/ cairo dublin
        python tools/cut_water.py --out maps/ --box 2.25 48.81 2.42 48.90 --name paris

    Options: ``--gshhg DIR`` (where the .nc files are; default
    /usr/share/gmt-gshhg or $GSHHG_DIR), ``--tolerance DEG`` (default 0.0003).
"""

import argparse
import json
import math
import os
import sys
from pathlib import Path

import h5py
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry import box as make_box
from shapely.geometry.polygon import orient
from shapely.ops import linemerge

# (lon_min, lat_min, lon_max, lat_max) of each episode's city map.
CITIES = {
    "petrograd": (30.15, 59.84, 30.52, 60.02),
    "cairo": (31.18, 29.98, 31.30, 30.10),
    "dublin": (-6.35, 53.32, -6.18, 53.37),
    "munich": (11.50, 48.10, 11.65, 48.18),
}

SOURCE = (
    "GSHHG 2.3.7 full resolution (Wessel & Smith), LGPL-3+, via Debian "
    "gmt-gshhg-full; clipped and simplified by tools/cut_water.py"
)

RIVER_CLASSES = {
    0: "double-lined river (river-lake)",
    1: "permanent major river",
    2: "additional major river",
    3: "additional river",
    4: "minor river",
    5: "intermittent river, major",
    6: "intermittent river, additional",
    7: "intermittent river, minor",
    8: "major canal",
    9: "minor canal",
    10: "irrigation canal",
}

DECIMALS = 5
EPS = 1e-7  # degrees; far below the data's 1/65535 degree step


# ---------------------------------------------------------------- reading ---


def bins_for(bbox):
    """Yield (bin index, lon of west side, lat of south side) covering bbox."""
    lon0, lat0, lon1, lat1 = bbox
    for lat_s in range(math.floor(lat0), math.ceil(lat1)):
        for lon_w in range(math.floor(lon0), math.ceil(lon1)):
            row = 89 - lat_s  # row 0 spans 89..90 N
            yield row * 360 + lon_w % 360, lon_w, lat_s


def to_lonlat(ds_x, ds_y, start, count, lon_w, lat_s):
    """Read `count` points from `start`; return absolute lon/lat (N x 2)."""
    dx = ds_x[start : start + count].astype(np.int16).view(np.uint16)
    dy = ds_y[start : start + count].astype(np.int16).view(np.uint16)
    return np.column_stack([lon_w + dx / 65535.0, lat_s + dy / 65535.0])


def read_shore_bin(f, area, b, lon_w, lat_s):
    """Corner levels (SW, SE, NE, NW) and segments of one shoreline bin.

    Each segment is a dict with level, entry side, line (LineString) and
    riverlake (GSHHG stores double-lined rivers as negative-area lakes).
    """
    info = int(f["Embedded_node_levels_in_a_bin"][b])
    corners = [(info >> shift) & 7 for shift in (9, 6, 3, 0)]
    first = int(f["Id_of_first_segment_in_a_bin"][b])
    n = int(f["N_segments_in_a_bin"][b])
    seg_info = f["Embedded_npts_levels_exit_entry_for_a_segment"][first : first + n]
    seg_start = f["Id_of_first_point_in_a_segment"][first : first + n]
    seg_poly = f["Id_of_GSHHS_ID"][first : first + n]
    xs = f["Relative_longitude_from_SW_corner_of_bin"]
    ys = f["Relative_latitude_from_SW_corner_of_bin"]
    segments = []
    rows = zip(seg_info.tolist(), seg_start.tolist(), seg_poly.tolist(), strict=True)
    for word, start, poly in rows:
        level = (word >> 6) & 7
        pts = to_lonlat(xs, ys, start, word >> 9, lon_w, lat_s)
        segments.append(
            {
                "level": 1 if level > 4 else level,  # 5, 6: Antarctic ice/ground
                "entry": (word >> 3) & 7,
                "line": LineString(pts),
                "riverlake": bool(area[poly] < 0),
            }
        )
    return corners, segments


def read_river_bin(r, b, lon_w, lat_s):
    """(class, LineString) pairs of one river bin."""
    first = int(r["Id_of_first_segment_in_a_bin"][b])
    n = int(r["N_segments_in_a_bin"][b])
    counts = r["N_points_for_a_segment"][first : first + n].tolist()
    levels = r["Hierarchial_level_of_a_segment"][first : first + n].tolist()
    starts = r["Id_of_first_point_in_a_segment"][first : first + n].tolist()
    xs = r["Relative_longitude_from_SW_corner_of_bin"]
    ys = r["Relative_latitude_from_SW_corner_of_bin"]
    return [
        (lev, LineString(to_lonlat(xs, ys, s, c, lon_w, lat_s)))
        for lev, s, c in zip(levels, starts, counts, strict=True)
        if c >= 2
    ]


# ---------------------------------------------------------- shore to faces ---


def face_level(point, bin_data):
    """Level (0-4) at `point`: start at the bin's SW corner, whose level is
    known, walk east along the bottom then north to the point, and step the
    level at every coast line crossed (a level-L line separates L-1 and L)."""
    lon_w, lat_s, corners, segments = bin_data
    path = LineString([(lon_w + EPS, lat_s + EPS), (point.x, lat_s + EPS), (point.x, point.y)])
    crossings = []
    for seg in segments:
        hit = path.intersection(seg["line"])
        for p in getattr(hit, "geoms", [hit]):
            if not p.is_empty:
                crossings.append((path.project(p), seg["level"]))
    level = corners[0]
    for _, seg_level in sorted(crossings):
        if level not in (seg_level, seg_level - 1):
            print(
                f"warning: level {level} meets a level-{seg_level} line near "
                f"{point.x:.4f} {point.y:.4f}",
                file=sys.stderr,
            )
        level = seg_level - 1 if level == seg_level else seg_level
    return level


def shore_faces(f, area, bbox):
    """Faces (polygon, level, riverlake) that tile bbox."""
    clip = make_box(*bbox)
    bins, lines = {}, [clip.exterior]
    for b, lon_w, lat_s in bins_for(bbox):
        corners, segments = read_shore_bin(f, area, b, lon_w, lat_s)
        bins[(lon_w, lat_s)] = (lon_w, lat_s, corners, segments)
        for seg in segments:
            piece = seg["line"].intersection(clip)
            if not piece.is_empty:
                lines.append(piece)
    # Snap to a fine grid so that pieces meeting on a bin side share a node.
    noded = shapely.set_precision(shapely.unary_union(lines), 1e-9)
    noded = shapely.unary_union(noded)
    faces = []
    for poly in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))):
        p = poly.representative_point()
        bin_data = bins[(math.floor(p.x), math.floor(p.y))]
        level = face_level(p, bin_data)
        riverlake = level == 2 and any(
            s["riverlake"] and s["level"] == 2 and s["line"].distance(poly.boundary) < 1e-8
            for s in bin_data[3]
        )
        faces.append((poly, level, riverlake))
    return faces


# ---------------------------------------------------------------- output ---


def rounded(coords):
    """Round to DECIMALS and drop repeated points."""
    out = []
    for x, y in coords:
        pt = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or pt != out[-1]:
            out.append(pt)
    return out


def polygon_geojson(poly):
    poly = orient(poly, 1.0)  # RFC 7946: outer rings counter-clockwise
    rings = [rounded(poly.exterior.coords)] + [rounded(r.coords) for r in poly.interiors]
    rings = [r for r in rings if len(r) >= 4]
    return {"type": "Polygon", "coordinates": rings} if rings else None


def cut(name, bbox, f, r, area, tolerance):
    """Build the FeatureCollection (a dict) for one city box."""
    features = []
    faces = shore_faces(f, area, bbox)
    simple = shapely.coverage_simplify([p for p, _, _ in faces], tolerance, simplify_boundary=False)
    min_area = tolerance * tolerance
    for poly, (_, level, riverlake) in zip(simple, faces, strict=True):
        for part in shapely.get_parts(poly):
            if level == 0 or part.area < min_area:
                continue  # the sea is the background; drop specks
            geom = polygon_geojson(part)
            if geom is None:
                continue
            props = {"kind": "land" if level % 2 else "lake", "level": level}
            if level % 2 == 0:
                props["riverlake"] = riverlake
            features.append({"type": "Feature", "properties": props, "geometry": geom})

    clip = make_box(*bbox)
    by_class = {}
    for b, lon_w, lat_s in bins_for(bbox):
        for level, line in read_river_bin(r, b, lon_w, lat_s):
            piece = line.intersection(clip)
            by_class.setdefault(level, []).extend(
                g
                for g in shapely.get_parts(piece)
                if g.geom_type == "LineString" and not g.is_empty
            )
    for level in sorted(by_class):
        if not by_class[level]:
            continue
        merged = linemerge(MultiLineString(by_class[level]))  # join across bin sides
        for line in shapely.get_parts(merged):
            coords = rounded(line.simplify(tolerance).coords)
            if len(coords) < 2:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "kind": "river",
                        "class": level,
                        "class_name": RIVER_CLASSES.get(level, "?"),
                    },
                    "geometry": {"type": "LineString", "coordinates": coords},
                }
            )
    return {
        "type": "FeatureCollection",
        "name": name,
        "bbox": list(bbox),
        "source": SOURCE,
        "features": features,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cities", nargs="*", help=f"any of {', '.join(CITIES)} [all]")
    ap.add_argument("--out", default=".", help="output folder [.]")
    ap.add_argument(
        "--gshhg",
        default=os.environ.get("GSHHG_DIR", "/usr/share/gmt-gshhg"),
        help="folder with binned_GSHHS_f.nc and binned_river_f.nc",
    )
    ap.add_argument(
        "--tolerance",
        type=float,
        default=0.0003,
        help="simplification tolerance in degrees [0.0003]",
    )
    ap.add_argument(
        "--box",
        type=float,
        nargs=4,
        metavar=("W", "S", "E", "N"),
        help="cut this box instead of the built-in cities",
    )
    ap.add_argument("--name", default="box", help="file name for --box [box]")
    args = ap.parse_args(argv)

    if args.box:
        jobs = {args.name: tuple(args.box)}
    else:
        unknown = [c for c in args.cities if c not in CITIES]
        if unknown:
            ap.error(f"unknown city: {', '.join(unknown)}")
        jobs = {c: CITIES[c] for c in (args.cities or CITIES)}

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    gshhg = Path(args.gshhg)
    with (
        h5py.File(gshhg / "binned_GSHHS_f.nc", "r") as f,
        h5py.File(gshhg / "binned_river_f.nc", "r") as r,
    ):
        area = f["The_km_squared_area_of_polygons"][:]
        for name, bbox in jobs.items():
            fc = cut(name, bbox, f, r, area, args.tolerance)
            path = out / f"{name}.geojson"
            path.write_text(json.dumps(fc, separators=(",", ":")) + "\n")
            kinds = {}
            for feat in fc["features"]:
                kinds[feat["properties"]["kind"]] = kinds.get(feat["properties"]["kind"], 0) + 1
            print(f"{path}: {path.stat().st_size} bytes, {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
