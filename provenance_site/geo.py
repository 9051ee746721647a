"""The map of places: land outlines from Natural Earth (the world-atlas package's TopoJSON, shipped in
``outlines/``), clipped to the region around the places with coordinates and drawn as inline SVG, with one
marker per place. No tiles, no script, nothing fetched: the map works from disk."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LATITUDE, LONGITUDE = "latitude", "longitude"  # the columns a table with places on the map has
OUTLINES = Path(__file__).resolve().parent / "outlines" / "land-50m.json"
WIDTH = 800  # SVG user units across the map
MARGIN_DEGREES = 3.0  # around the outermost places
MIN_SPAN = (16.0, 10.0)  # degrees of longitude and latitude shown at least, so a lone place has surroundings
NEAR = 25.0  # degrees: places closer than this (in longitude and latitude) share a panel

Point = tuple[float, float]  # (longitude, latitude)


@dataclass(frozen=True)
class Region:
    west: float
    south: float
    east: float
    north: float

    @property
    def xscale(self) -> float:
        """Degrees of longitude shrink with the cosine of the middle latitude (an equirectangular projection)."""
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def unit(self) -> float:
        return WIDTH / ((self.east - self.west) * self.xscale)

    @property
    def height(self) -> float:
        return round((self.north - self.south) * self.unit, 1)

    def project(self, point: Point) -> tuple[float, float]:
        longitude, latitude = point
        return (round((longitude - self.west) * self.xscale * self.unit, 1), round((self.north - latitude) * self.unit, 1))


def region(points: list[Point]) -> Region:
    """The box around ``points``, widened to at least ``MIN_SPAN`` and padded by ``MARGIN_DEGREES``."""
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    grow_x = max(0.0, MIN_SPAN[0] - (east - west + 2 * MARGIN_DEGREES)) / 2
    grow_y = max(0.0, MIN_SPAN[1] - (north - south + 2 * MARGIN_DEGREES)) / 2
    return Region(west - MARGIN_DEGREES - grow_x, max(-90.0, south - MARGIN_DEGREES - grow_y),
                  east + MARGIN_DEGREES + grow_x, min(90.0, north + MARGIN_DEGREES + grow_y))


def groups(points: list[Point]) -> list[list[int]]:
    """The indexes of ``points`` in groups of places near each other (single linkage within ``NEAR`` degrees),
    the largest group first, so that far-apart places each get a panel instead of one map of half the world."""
    parent = list(range(len(points)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(points):
        for j in range(i):
            b = points[j]
            if abs(a[0] - b[0]) < NEAR and abs(a[1] - b[1]) < NEAR:
                parent[root(i)] = root(j)
    found: dict[int, list[int]] = {}
    for i in range(len(points)):
        found.setdefault(root(i), []).append(i)
    return sorted(found.values(), key=lambda g: (-len(g), min(points[i][0] for i in g)))


@cache
def _rings() -> tuple[tuple[Point, ...], ...]:
    """Every ring of the land outline, in degrees (the TopoJSON's arcs decoded and joined)."""
    topology = json.loads(OUTLINES.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> tuple[Point, ...]:
        points: list[Point] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return tuple(points)

    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings += [ring(indexes) for polygon in polygons for indexes in polygon]
    return tuple(rings)


def _clip(ring: tuple[Point, ...], box: Region) -> list[Point]:
    """The ring clipped to ``box`` (Sutherland–Hodgman, one edge of the box at a time)."""
    edges = (
        (lambda p: p[0] >= box.west, lambda a, b: _at_x(a, b, box.west)),
        (lambda p: p[0] <= box.east, lambda a, b: _at_x(a, b, box.east)),
        (lambda p: p[1] >= box.south, lambda a, b: _at_y(a, b, box.south)),
        (lambda p: p[1] <= box.north, lambda a, b: _at_y(a, b, box.north)),
    )
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        kept, previous = [], points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    kept.append(cross(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(cross(previous, point))
            previous = point
        points = kept
    return points


def _at_x(a: Point, b: Point, x: float) -> Point:
    return (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    return (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def land_path(box: Region) -> str:
    """The SVG path data of the land inside ``box``."""
    parts = []
    for ring in _rings():
        clipped = _clip(ring, box)
        projected: list[tuple[float, float]] = []
        for point in map(box.project, clipped):
            if not projected or point != projected[-1]:
                projected.append(point)
        if len(projected) >= 3:
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in projected) + "Z")
    return "".join(parts)
