"""Pictures of a plan (matplotlib): a map of the services and of the needs
left without a place, and a coverage chart.

Both return a ``matplotlib.figure.Figure`` and save a PNG when given a
``path``. They draw on figures of their own (not pyplot's current one), so
they work with any backend, headless included, or into the Axes they are
given. Labels are in French unless ``lang="en"``. matplotlib is imported by
the functions, when a picture is asked for.

Nobody is located on a map: people and unmatched needs are counted per
commune and drawn at the commune's centre (pooled on a grid when there are
many communes), never at a person's own coordinates.

docs/pictures.md shows every option and what the marks mean.
"""

from __future__ import annotations

import functools
import math
import os
import warnings
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._plan import Plan

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["coverage", "category_colors", "plot_map"]

PathLike = Union[str, "os.PathLike[str]"]

# Okabe & Ito's colour-blind-safe palette: vermillion marks what is missing
# (unmatched needs on the map, "all full" in the chart) and is kept out of
# the category palette.
UNMATCHED_COLOR = "#D55E00"
COVERED_COLOR = "#009E73"
PEOPLE_COLOR = "#777777"
REASON_COLORS = {
    "no_service_for_theme": "#999999",
    "not_eligible": "#CC79A7",
    "out_of_reach": "#E69F00",
    "capacity_full": UNMATCHED_COLOR,
}

# One colour per data·inclusion category: Okabe-Ito (without vermillion and
# black) for the categories Convergence needs most, then Paul Tol's "muted"
# set, then yellow and black for the rarest.
_CATEGORY_PALETTE = {
    "logement-hebergement": "#0072B2",
    "sante": "#009E73",
    "difficultes-administratives-ou-juridiques": "#E69F00",
    "mobilite": "#CC79A7",
    "difficultes-financieres": "#56B4E9",
    "lecture-ecriture-calcul": "#332288",
    "trouver-un-emploi": "#882255",
    "se-former": "#117733",
    "numerique": "#999933",
    "preparer-sa-candidature": "#AA4499",
    "equipement-et-alimentation": "#DDCC77",
    "famille": "#CC6677",
    "choisir-un-metier": "#44AA99",
    "remobilisation": "#88CCEE",
    "souvrir-a-linternational": "#F0E442",
    "creer-une-entreprise": "#000000",
}
_SPARE_COLORS = ("#BBBBBB", "#777777")

# The overseas départements drawn in insets at national size: name and
# the box (longitude, latitude) an inset shows at least.
_OVERSEAS = {
    "971": ("Guadeloupe", (-61.85, -61.0, 15.83, 16.52)),
    "972": ("Martinique", (-61.25, -60.8, 14.38, 14.88)),
    "973": ("Guyane", (-54.6, -51.6, 2.1, 5.8)),
    "974": ("La Réunion", (55.2, 55.85, -21.4, -20.85)),
    "976": ("Mayotte", (44.98, 45.32, -13.02, -12.62)),
}
# Mainland France with Corsica, the extent of a map with insets.
_MAINLAND = (-5.3, 9.7, 41.3, 51.2)
# Where the insets go, in the main axes' fraction (x, y, width, height):
# the Atlantic west of Brittany and Gascony, then the strip south of the
# Pyrenees' latitude.
_INSET_SLOTS = ((0.01, 0.01, 0.14, 0.14), (0.01, 0.17, 0.14, 0.14),
                (0.01, 0.33, 0.14, 0.14), (0.17, 0.01, 0.14, 0.14),
                (0.33, 0.01, 0.14, 0.14))

# Above this many markers (communes and services) in the main axes, or in
# an inset, markers are pooled on a grid of about this many cells across.
_POOL_ABOVE = (300, 40)
_CELLS_ACROSS = (60, 15)
_GRID_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0)

_KM_PER_DEGREE = 111.32

# Marker areas (points²): a base plus a slope times the count, the slope
# lowered when the largest marker (the 95th percentile of 20 or more) would
# exceed the cap; markers above 3 times the cap are clipped to it.
_SERVICE_AREA = (6.0, 4.0, 900.0)      # base, slope per place, largest
_PEOPLE_AREA = (4.0, 10.0, 700.0)      # per person
_UNMATCHED_AREA = (6.0, 10.0, 350.0)   # per need

_TEXTS = {
    "fr": {
        "site": "site (chantier d'insertion)",
        "site_pooled": "sites (chantiers d'insertion) d'une maille",
        "people": "personnes par commune : {n}",
        "people_pooled": "personnes par maille de {cell}° : {n}",
        "unmatched": "besoins non couverts par commune : {n}",
        "unmatched_pooled": "besoins non couverts par maille de {cell}° : {n}",
        "service": "service, {n} place{s}",
        "service_pooled": "services d'une maille, {n} place{s}",
        "full": "service complet",
        "unknown": "service aux places inconnues",
        "referral": "orientation : {label}",
        "fill": "taux de remplissage\n(places prises / places)",
        "all_territories": "tous les territoires",
        "map_title": ("Plan d'orientation, {where} : {covered} sur {total} "
                      "besoins couverts, {people} avec un besoin non couvert"),
        "people_word": ("personne", "personnes"),
        "lon": "longitude (°E)",
        "lat": "latitude (°N)",
        "covered": "couverts",
        "no_service_for_theme": "non couverts : aucun service pour le thème",
        "not_eligible": "non couverts : aucun service éligible",
        "out_of_reach": "non couverts : hors de portée",
        "capacity_full": "non couverts : tous complets",
        "panel": "{title} : {done}/{total} couverts ({share})",
        "no_need": "aucun besoin",
        "sum": "les {n} territoires",
        "needs": "besoins",
        "coverage_title": ("Besoins couverts et non couverts, par catégorie "
                           "de thème et territoire"),
        "percent": "{p:.0f}\u00a0%",
    },
    "en": {
        "site": "site (chantier d'insertion)",
        "site_pooled": "sites (chantiers d'insertion) of a cell",
        "people": "people per commune: {n}",
        "people_pooled": "people per {cell}° cell: {n}",
        "unmatched": "unmatched needs per commune: {n}",
        "unmatched_pooled": "unmatched needs per {cell}° cell: {n}",
        "service": "service, {n} place{s}",
        "service_pooled": "services of a cell, {n} place{s}",
        "full": "full service",
        "unknown": "service with unknown places",
        "referral": "referral: {label}",
        "fill": "fill rate\n(places taken / places)",
        "all_territories": "all territories",
        "map_title": ("Referral plan, {where}: {covered} of {total} needs "
                      "covered, {people} with an unmatched need"),
        "people_word": ("person", "people"),
        "lon": "longitude (°E)",
        "lat": "latitude (°N)",
        "covered": "covered",
        "no_service_for_theme": "unmatched: no service for the theme",
        "not_eligible": "unmatched: none eligible",
        "out_of_reach": "unmatched: out of reach",
        "capacity_full": "unmatched: all full",
        "panel": "{title}: {done}/{total} covered ({share})",
        "no_need": "no need",
        "sum": "all {n} territories",
        "needs": "needs",
        "coverage_title": ("Needs covered and unmatched, by theme category "
                           "and territory"),
        "percent": "{p:.0f} %",
    },
}


def _texts(lang: str) -> dict[str, str]:
    if lang not in _TEXTS:
        raise ValueError(f"lang must be 'fr' or 'en', got {lang!r}")
    return _TEXTS[lang]


def category_colors() -> dict[str, str]:
    """A fixed colour (``"#rrggbb"``) per data·inclusion theme category, the
    same in every picture: colour-blind-safe (Okabe-Ito, then Paul Tol's
    muted set), never the vermillion that marks unmatched needs
    (``UNMATCHED_COLOR``)."""
    colors: dict[str, str] = {}
    spare = iter(_SPARE_COLORS * 8)
    for c in _core.category_codes():
        colors[c] = _CATEGORY_PALETTE.get(c) or next(spare)
    return colors


def _category_labels(lang: str) -> dict[str, str]:
    """The label of each theme category in ``lang`` (``"fr"``: "Logement,
    hébergement", ``"en"``: "Housing, shelter"), from
    :func:`maillage.vocabulary.categories`."""
    from . import vocabulary
    frame = vocabulary.categories()
    column = "label" if lang == "fr" else "label_en"
    return dict(zip(frame["code"], frame[column]))


def _save(fig: "Figure", path: Optional[PathLike]) -> None:
    if path is not None:
        fig.savefig(os.fspath(path), dpi=150, bbox_inches="tight")


@functools.lru_cache(maxsize=4096)
def _category_of(theme: str) -> str:
    try:
        return _core.category_of(theme)
    except (ValueError, RuntimeError, TypeError):
        return theme.split("--", 1)[0]


def _check_category(category: str) -> str:
    codes = _core.category_codes()
    if category in codes:
        return category
    hint = ""
    if "--" in str(category):
        hint = f" (the category of that theme is '{_category_of(str(category))}')"
    raise ValueError(f"no theme category '{category}'{hint}: expected one of "
                     f"{', '.join(codes)}")


# --- where things are -------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _commune_centres(codes: tuple[str, ...]) -> pd.DataFrame:
    """lat, lng of the centre of each commune of ``codes`` (index), from the
    library's commune table: a person without coordinates is placed at the
    centre of their commune, so a network of one such person per commune
    gives the centres. Communes not in the table are left out."""
    frame = pd.DataFrame(columns=["lat", "lng"], dtype=float)
    if not codes:
        return frame
    from ._network import Network
    try:
        net = Network.from_frames(
            sites=pd.DataFrame({"site_id": ["s"], "territory": ["t"],
                                "lat": [0.0], "lng": [0.0]}),
            partners=pd.DataFrame({"partner_id": pd.Series([], dtype=object)}),
            services=pd.DataFrame({
                "service_id": pd.Series([], dtype=object),
                "partner_id": pd.Series([], dtype=object),
                "thematiques": pd.Series([], dtype=object)}),
            persons=pd.DataFrame({
                "person_id": [f"c{i}" for i in range(len(codes))],
                "site_id": "s", "insee_com": list(codes),
                "lat": np.nan, "lng": np.nan}),
            needs=pd.DataFrame({"person_id": pd.Series([], dtype=object),
                                "thematique": pd.Series([], dtype=object),
                                "urgency": pd.Series([], dtype="int64")}))
    except (ValueError, TypeError, RuntimeError):
        return frame
    people = net._tables()["persons"]
    # A commune the table lacks is placed at the site, (0, 0).
    found = ~((people["lat"] == 0.0) & (people["lng"] == 0.0))
    return people.loc[found].set_index("insee_com")[["lat", "lng"]]


def _person_areas(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per person (index), the area they are counted in and drawn at: their
    commune's centre; without a commune, or with one the library's table
    lacks, their site (never a position derived from theirs)."""
    persons = tables["persons"]
    sites = tables["sites"].set_index("site_id")
    commune = persons["insee_com"]
    has = commune.notna() & (commune.astype(str) != "")
    site_area = "site:" + persons["site_id"].astype(str)
    area = pd.Series(np.where(has, commune.astype(str), site_area), index=persons.index)
    lat = pd.Series(np.nan, index=persons.index)
    lng = pd.Series(np.nan, index=persons.index)
    codes = tuple(sorted(set(area[has])))
    centres = _commune_centres(codes)
    lat[has] = centres["lat"].reindex(area[has]).to_numpy()
    lng[has] = centres["lng"].reindex(area[has]).to_numpy()
    missing = has & lat.isna()
    if missing.any():  # a commune the table lacks: counted at the site
        area[missing] = site_area[missing]
        has = has & ~missing
    at_site = ~has
    if at_site.any():  # drawn at their site
        lat[at_site] = sites["lat"].reindex(persons.loc[at_site, "site_id"]).to_numpy()
        lng[at_site] = sites["lng"].reindex(persons.loc[at_site, "site_id"]).to_numpy()
    return pd.DataFrame({"area": area.to_numpy(), "lat": lat.to_numpy(),
                         "lng": lng.to_numpy(),
                         "insee_com": np.where(has, area, None)},
                        index=pd.Index(persons["person_id"], name="person_id"))


def _regions(insee: pd.Series, lat: pd.Series, lng: pd.Series) -> np.ndarray:
    """The overseas département of each point ("971"...), "" elsewhere: by
    its INSEE commune code, else by its position."""
    prefix = insee.fillna("").astype(str).str[:3].to_numpy()
    out = np.where(np.isin(prefix, list(_OVERSEAS)), prefix, "").astype(object)
    x, y = lng.to_numpy(dtype=float), lat.to_numpy(dtype=float)
    for code, (_name, (x0, x1, y0, y1)) in _OVERSEAS.items():
        inside = (out == "") & (x >= x0 - 0.5) & (x <= x1 + 0.5) & \
            (y >= y0 - 0.5) & (y <= y1 + 0.5)
        out[inside] = code
    return out


def _area_of(counts: np.ndarray, spec: tuple[float, float, float],
             cell_pt: Optional[float] = None, cells: float = 1.3
             ) -> tuple[float, float, float]:
    """(base, slope, clip) of marker areas for these counts: one very large
    count (a city's cell) does not shrink every other marker to a dot. On a
    grid whose cells are ``cell_pt`` points wide, the largest marker is
    ``cells`` cells wide, so that neighbours stay apart."""
    base, slope, largest = spec
    if cell_pt is not None:
        largest = max(base * 4, min(largest, (cells * cell_pt) ** 2))
    top = 0.0
    if len(counts):
        top = float(np.percentile(counts, 95) if len(counts) >= 20 else np.max(counts))
    if top > 0 and base + slope * top > largest:
        slope = (largest - base) / top
    return base, slope, (1.5 if cell_pt is not None else 3.0) * largest


def _area(scale: tuple[float, float, float], counts: Any) -> Any:
    base, slope, clip = scale
    return np.minimum(base + slope * np.asarray(counts, dtype=float), clip)


def _nice(value: float, steps: Sequence[float] = (1, 2, 5)) -> float:
    """The largest 1, 2, 5 × 10^k not above ``value`` (> 0)."""
    k = math.floor(math.log10(value))
    best = 10.0 ** k
    for s in steps:
        if s * 10.0 ** k <= value:
            best = s * 10.0 ** k
    return best


def _grid_step(extent: tuple[float, float, float, float], across: int) -> float:
    span = max(extent[1] - extent[0], extent[3] - extent[2])
    for step in _GRID_STEPS:
        if step >= span / across:
            return step
    return _GRID_STEPS[-1]


# --- the map ----------------------------------------------------------------


class _Layers:
    """What one axes of the map shows, already aggregated."""

    def __init__(self) -> None:
        self.people = pd.DataFrame(columns=["lng", "lat", "count"])
        self.unmatched = pd.DataFrame(columns=["lng", "lat", "count"])
        self.services = pd.DataFrame(columns=["lng", "lat", "places", "used", "full"])
        self.unknown = pd.DataFrame(columns=["lng", "lat", "count"])
        self.sites = pd.DataFrame(columns=["lng", "lat"])
        self.segments = pd.DataFrame(
            columns=["x0", "y0", "x1", "y1", "category", "count"])
        self.cell: Optional[float] = None


def _pool(frame: pd.DataFrame, cell: float, weight: Optional[str],
          sums: Sequence[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Rows of ``frame`` pooled per grid cell of ``cell`` degrees: the
    ``weight``-weighted mean position (plain mean when None) and the sums of
    ``sums``. Returns the pooled frame and the cell key of each row."""
    ix = np.floor(frame["lng"].to_numpy(dtype=float) / cell).astype(np.int64)
    iy = np.floor(frame["lat"].to_numpy(dtype=float) / cell).astype(np.int64)
    key = pd.Series(ix, index=frame.index).astype(str) + "," + \
        pd.Series(iy, index=frame.index).astype(str)
    w = frame[weight].astype(float) if weight else pd.Series(1.0, index=frame.index)
    w = w.where(w > 0, 1e-9)
    parts = pd.DataFrame({"key": key, "w": w, "wx": w * frame["lng"].astype(float),
                          "wy": w * frame["lat"].astype(float)})
    for s in sums:
        parts[s] = frame[s]
    g = parts.groupby("key", sort=True)
    pooled = pd.DataFrame({"lng": g["wx"].sum() / g["w"].sum(),
                           "lat": g["wy"].sum() / g["w"].sum()})
    for s in sums:
        pooled[s] = g[s].sum()
    return pooled, key


def _build_layers(region: str, people: pd.DataFrame, unmatched: pd.DataFrame,
                  services: pd.DataFrame, sites: pd.DataFrame,
                  referrals: pd.DataFrame, pool: Union[None, bool, float],
                  extent: tuple[float, float, float, float]) -> _Layers:
    """The layers of one region ("" for the main axes, else an inset),
    pooled on a grid when asked or when it has many markers."""
    out = _Layers()
    p = people[people["region"] == region]
    m = unmatched[unmatched["region"] == region]
    s = services[services["region"] == region]
    out.sites = sites[sites["region"] == region][["lng", "lat"]]
    crowd, across = (_POOL_ABOVE[0], _CELLS_ACROSS[0]) if region == "" else \
        (_POOL_ABOVE[1], _CELLS_ACROSS[1])
    if pool is None:
        cell = _grid_step(extent, across) if len(p) + len(s) > crowd else None
    elif pool is True:
        cell = _grid_step(extent, across)
    elif pool is False:
        cell = None
    else:
        cell = float(pool)
        if not cell > 0:
            raise ValueError(f"pool must be None, a bool or a cell size in "
                             f"degrees > 0, got {pool!r}")
    out.cell = cell
    known = s[s["known"]]
    unknown = s[~s["known"]].assign(count=1)
    if cell is None:
        out.people = p[["lng", "lat", "count"]]
        out.unmatched = m[["lng", "lat", "count"]]
        out.services = known[["lng", "lat", "places", "used"]].copy()
        out.unknown = unknown[["lng", "lat", "count"]]
        person_key = pd.Series(p.index, index=p.index)
        service_key = pd.Series(s.index, index=s.index)
        drawn_p, drawn_s = out.people, s
    else:
        out.people, person_key = _pool(p, cell, "count", ["count"])
        out.unmatched, _ = _pool(m, cell, "count", ["count"])
        out.services, known_key = _pool(known, cell, None, ["places", "used"])
        out.unknown, unknown_key = _pool(unknown, cell, None, ["count"])
        out.sites, _ = _pool(out.sites.assign(count=1), cell, None, ["count"])
        drawn_p = out.people
        drawn_s = pd.concat([out.services[["lng", "lat"]],
                             out.unknown[["lng", "lat"]].rename(
                                 index=lambda k: "?" + k)])
        service_key = pd.concat([known_key, "?" + unknown_key])
    out.services["full"] = out.services["used"] >= out.services["places"]
    # Referral segments between the drawn markers, per category.
    if len(referrals):
        r = referrals[referrals["area"].isin(person_key.index)
                      & referrals["service_id"].isin(service_key.index)]
        if len(r):
            r = pd.DataFrame({"from": person_key.reindex(r["area"]).to_numpy(),
                              "to": service_key.reindex(r["service_id"]).to_numpy(),
                              "category": r["category"].to_numpy()})
            g = r.groupby(["from", "to", "category"], sort=True).size() \
                .rename("count").reset_index()
            a = drawn_p[["lng", "lat"]].reindex(g["from"]).to_numpy(dtype=float)
            b = drawn_s[["lng", "lat"]].reindex(g["to"]).to_numpy(dtype=float)
            out.segments = pd.DataFrame({"x0": a[:, 0], "y0": a[:, 1],
                                         "x1": b[:, 0], "y1": b[:, 1],
                                         "category": g["category"].to_numpy(),
                                         "count": g["count"].to_numpy()})
    return out


def _draw_layers(ax: "Axes", layers: _Layers, scales: dict[str, tuple[float, float]],
                 colors: dict[str, str], lines: bool, cmap: Any) -> Any:
    """Draws the layers on ``ax`` (each collection with a gid the tests and
    callers can find); returns the services' collection (for the colour
    bar)."""
    from matplotlib.collections import LineCollection

    if lines and len(layers.segments):
        seg = layers.segments
        points = np.stack([seg[["x0", "y0"]].to_numpy(dtype=float),
                           seg[["x1", "y1"]].to_numpy(dtype=float)], axis=1)
        widths = 0.4 + 0.35 * np.sqrt(seg["count"].to_numpy(dtype=float))
        collection = LineCollection(points, colors=[colors.get(c, "#777777")
                                                    for c in seg["category"]],
                                    linewidths=widths, alpha=0.6, zorder=2)
        collection.set_gid("referrals")
        ax.add_collection(collection)


    # Services, large ones first so that small ones stay visible.
    s = layers.services.sort_values("places", ascending=False, kind="stable")
    places = s["places"].to_numpy(dtype=float)
    used = s["used"].to_numpy(dtype=float)
    # A service without places is full.
    fill = np.where(places > 0, np.minimum(used / np.maximum(places, 1e-9), 1.0), 1.0)
    area = _area(scales["services"], places)
    drawn = ax.scatter(s["lng"].to_numpy(dtype=float), s["lat"].to_numpy(dtype=float),
                       s=area, c=fill, cmap=cmap, vmin=0.0, vmax=1.0,
                       edgecolors="#444444", linewidths=0.4, alpha=0.9,
                       zorder=3, gid="services")
    full = s["full"].to_numpy(dtype=bool)
    ax.scatter(s["lng"].to_numpy(dtype=float)[full], s["lat"].to_numpy(dtype=float)[full],
               s=(np.sqrt(area[full]) + 5.0) ** 2, facecolors="none",
               edgecolors="black", linewidths=1.4, zorder=3.5,
               gid="services-full")
    k = layers.unknown
    ax.scatter(k["lng"].to_numpy(dtype=float), k["lat"].to_numpy(dtype=float),
               s=_area(scales["services"], 0) + 12.0 * np.sqrt(k["count"].to_numpy(dtype=float)),
               facecolors="white", edgecolors="#555555", linewidths=0.8,
               linestyles="--", zorder=3, gid="services-unknown")

    # People above the services, as thin circles that hide nothing.
    p = layers.people
    ax.scatter(p["lng"].to_numpy(dtype=float), p["lat"].to_numpy(dtype=float),
               s=_area(scales["people"], p["count"]),
               facecolors="none", edgecolors=PEOPLE_COLOR, linewidths=0.8,
               zorder=3.8, gid="people")

    m = layers.unmatched
    ax.scatter(m["lng"].to_numpy(dtype=float), m["lat"].to_numpy(dtype=float),
               s=_area(scales["unmatched"], m["count"]), marker="X",
               c=UNMATCHED_COLOR, edgecolors="white", linewidths=0.5,
               alpha=0.9, zorder=4, gid="unmatched")
    ax.scatter(layers.sites["lng"].to_numpy(dtype=float),
               layers.sites["lat"].to_numpy(dtype=float),
               s=scales["sites"][0], marker="s",
               c="#1d1d1d", edgecolors="white", linewidths=0.7,
               zorder=scales["sites"][1],
               gid="sites")
    return drawn


def _set_extent(ax: "Axes", extent: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)), adjustable="box")


def _padded(x: np.ndarray, y: np.ndarray, least: float = 0.05
            ) -> Optional[tuple[float, float, float, float]]:
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if not len(x):
        return None
    px = max(least, 0.05 * (x.max() - x.min()))
    py = max(least, 0.05 * (y.max() - y.min()))
    return (float(x.min() - px), float(x.max() + px),
            float(y.min() - py), float(y.max() + py))


def _union(a: Optional[tuple[float, float, float, float]],
           b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if a is None:
        return b
    return (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))


def _scale_bar(ax: "Axes", extent: tuple[float, float, float, float],
               fontsize: float = 8, fraction: float = 0.2) -> None:
    """A bar of a round number of km, about ``fraction`` of the map's width,
    true at the map's middle latitude."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
    x0, x1, y0, y1 = extent
    km_per_degree = _KM_PER_DEGREE * math.cos(math.radians((y0 + y1) / 2))
    km = _nice(max((x1 - x0) * km_per_degree * fraction, 1e-3))
    label = f"{km:g} km"
    bar = AnchoredSizeBar(ax.transData, km / km_per_degree, label,
                          loc="lower right", pad=0.4, borderpad=0.5, sep=3,
                          frameon=True, size_vertical=(y1 - y0) / 300,
                          fontproperties={"size": fontsize})
    bar.patch.set_alpha(0.75)
    bar.patch.set_edgecolor("none")
    bar.set_gid("scale-bar")
    ax.add_artist(bar)



def _examples(top: float, fractions: Sequence[float]) -> list[float]:
    """Round counts to show in a legend, the fractions of ``top``."""
    if top < 1:
        return [1.0]
    return sorted({_nice(max(top * f, 1.0)) for f in fractions})


def _legend(ax: "Axes", layers: dict[str, _Layers],
            scales: dict[str, tuple[float, float]], colors: dict[str, str],
            cmap: Any, lines: bool, lang: str) -> None:
    """What each mark means, with sizes on the scales used."""
    from matplotlib.lines import Line2D

    texts = _texts(lang)

    def top(name: str, column: str, scale: str) -> float:
        # The largest count, or the largest one not clipped.
        most = max([float(getattr(l, name)[column].max()) for l in layers.values()
                    if len(getattr(l, name))] + [0.0])
        base, slope, clip = scales[scale]
        return min(most, (clip / (1.5 if cell else 3.0) - base) / slope) \
            if slope > 0 else most

    cell = layers[""].cell
    cell_text = f"{cell:g}" if cell else ""
    if lang == "fr":
        cell_text = cell_text.replace(".", ",")
    handles = [Line2D([], [], marker="s", linestyle="", color="#1d1d1d",
                      markeredgecolor="white",
                      markersize=math.sqrt(scales["sites"][0]) * 1.1,
                      label=texts["site_pooled" if cell else "site"])]
    for name, marker in (("people", "o"), ("unmatched", "X")):
        key = f"{name}_pooled" if cell else name
        for n in _examples(top(name, "count", name), (0.5,)):
            style = ({"markerfacecolor": "none", "markeredgecolor": PEOPLE_COLOR}
                     if name == "people" else
                     {"color": UNMATCHED_COLOR, "markeredgecolor": "white"})
            handles.append(Line2D([], [], marker=marker, linestyle="",
                                  markersize=math.sqrt(_area(scales[name], n)),
                                  label=texts[key].format(n=f"{n:g}", cell=cell_text),
                                  **style))
    for n in _examples(top("services", "places", "services"), (1.0, 0.25, 0.05)):
        handles.append(Line2D([], [], marker="o", linestyle="",
                              markerfacecolor=cmap(0.5), markeredgecolor="#444444",
                              markersize=math.sqrt(_area(scales["services"], n)),
                              label=texts["service_pooled" if cell else "service"]
                              .format(n=f"{n:g}", s="s" if n > 1 else "")))
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=cmap(1.0),
                          markeredgecolor="black", markeredgewidth=1.6,
                          markersize=9, label=texts["full"]))
    if any(len(l.unknown) for l in layers.values()):
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                              markeredgecolor="#555555", markersize=6,
                              label=texts["unknown"]))
    if lines:
        labels = _category_labels(lang)
        used = set().union(*[set(l.segments["category"]) for l in layers.values()])
        for c in colors:
            if c in used:
                handles.append(Line2D([], [], color=colors[c], linewidth=2,
                                      label=texts["referral"].format(label=labels[c])))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=8, frameon=False, labelspacing=1.0, handlelength=2.5,
              handletextpad=1.0, ncol=2 if len(handles) > 16 else 1)


def plot_map(plan: Plan, ax: Optional["Axes"] = None,
             path: Optional[PathLike] = None, *,
             territory: Optional[str] = None,
             category: Optional[str] = None,
             lines: bool = False,
             lang: str = "fr",
             pool: Union[None, bool, float] = None,
             insets: Optional[bool] = None) -> "Figure":
    """A map of the plan: services, sites, and where needs are left without
    a place. Axes are longitude and latitude (degrees, with the aspect of
    the middle latitude) with a scale bar in km.

    - Services are circles whose area follows their places in the plan
      (``capacity_available``, pinned supports included), coloured by their
      fill rate (places taken by the plan, pinned included, over places;
      viridis, with a colour bar); a black ring marks a full service
      (capacity known, places taken >= places). Services that publish no
      places are white dashed circles. Services without a location
      (remote only) are not drawn.
    - Sites are black squares.
    - People and unmatched needs are counted per commune and drawn at the
      commune's centre (from the library's commune table; else the mean of
      its people rounded to 0.01°), never at a person's own coordinates:
      grey circles (people with a need shown) and vermillion crosses
      (unmatched needs), area by count. A person without a commune counts
      at their site.
    - Referrals (``lines=True``): a line from the commune (or cell) of each
      covered need to its service, coloured by theme category
      (:func:`category_colors`), width by count; referrals used remotely
      have none.

    Parameters:
        plan: the :class:`~maillage.Plan` to draw.
        ax: a matplotlib Axes to draw into; default a new figure.
        path: saves a PNG there when given.
        territory: one territory's sites and people only (and the services
            they use or that lie within their bounds); ValueError for an
            unknown one. Default: the whole network.
        category: a data·inclusion theme category code
            (``"logement-hebergement"``): only the needs of that category,
            the people who have them and the services serving it.
        lines: draw the referral lines (off by default: at the scale of a
            territory they hide the rest).
        lang: ``"fr"`` (default) or ``"en"``, the language of the labels.
        pool: None (default) pools markers on a grid of square cells (area
            by count, at the count-weighted mean of its communes' centres;
            services summed per cell, ringed when all are full; one site
            mark per cell) when the main axes has more than 300 communes
            and services (an inset more than 40); True always, False never,
            a number: the cell size in degrees.
        insets: None (default) draws the overseas départements (971, 972,
            973, 974, 976) in small inset axes (gid ``"inset-974"``...)
            when the map also has mainland France, which then fills the
            main axes; False draws everything on one axes.

    Returns the Figure (that of ``ax`` when given).
    """
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    texts = _texts(lang)
    net = plan.network
    tables = net._tables()
    sites, services, persons = tables["sites"], tables["services"], tables["persons"]
    a = plan._table("assignments")
    u = plan._table("unmatched")
    if territory is not None:
        if territory not in net.territories:
            raise ValueError(f"no territory '{territory}' in the network "
                             f"({', '.join(net.territories)})")
        sites = sites[sites["territory"] == territory]
        persons = persons[persons["site_id"].isin(sites["site_id"])]
        a = a[a["territory"] == territory]
        u = u[u["territory"] == territory]
    if category is not None:
        category = _check_category(category)
        a = a[a["category"] == category]
        u = u[u["category"] == category]
        persons = persons[persons["person_id"].isin(a["person_id"])
                          | persons["person_id"].isin(u["person_id"])]
        themes = services["thematiques"].fillna("").astype(str).str.split("|")
        codes = {t for ts in themes for t in ts if t}
        serving = {t for t in codes if _category_of(t) == category}
        serves = themes.map(lambda ts: any(t in serving for t in ts)).astype(bool)
        services = services[serves]

    # People and unmatched needs per area (commune), at the area's centre.
    areas = _person_areas(tables)
    shown = areas.reindex(persons["person_id"])
    people = shown.groupby("area").agg(lat=("lat", "first"), lng=("lng", "first"),
                                       insee_com=("insee_com", "first"),
                                       count=("lat", "size"))
    missed = areas.reindex(u["person_id"])
    unmatched = missed.groupby("area").agg(lat=("lat", "first"), lng=("lng", "first"),
                                           insee_com=("insee_com", "first"),
                                           count=("lat", "size"))
    people = people.dropna(subset=["lat", "lng"])
    unmatched = unmatched.dropna(subset=["lat", "lng"])

    # Services: places in the plan, places taken (pinned included).
    prices = plan._table("shadow_prices").set_index("service_id")
    svc = services[services["lat"].notna() & services["lng"].notna()] \
        .set_index("service_id")[["lat", "lng", "insee_com"]].copy()
    places = prices["capacity_available"].reindex(svc.index)
    known = prices["capacity_known"].reindex(svc.index) if "capacity_known" in prices \
        else places.notna()
    svc["known"] = known.fillna(False).astype(bool).to_numpy() & places.notna().to_numpy()
    svc["places"] = places.astype("Float64").fillna(0).astype(float).to_numpy()
    taken = plan._table("assignments").groupby("service_id").size()
    svc["used"] = taken.reindex(svc.index, fill_value=0).astype(float).to_numpy()

    located = a[~a["remote"].to_numpy(dtype=bool)]
    if territory is not None:
        # The territory's bounds, with the services its people use.
        used_here = svc.index.isin(located["service_id"])
        bounds = _padded(np.concatenate([people["lng"], sites["lng"]]).astype(float),
                         np.concatenate([people["lat"], sites["lat"]]).astype(float))
        if bounds is not None:
            x0, x1, y0, y1 = bounds
            inside = svc["lng"].between(x0, x1) & svc["lat"].between(y0, y1)
            svc = svc[inside.to_numpy() | used_here]
        else:
            svc = svc[used_here]

    people["region"] = _regions(people["insee_com"], people["lat"], people["lng"])
    unmatched["region"] = _regions(unmatched["insee_com"], unmatched["lat"],
                                   unmatched["lng"])
    svc["region"] = _regions(svc["insee_com"], svc["lat"], svc["lng"])
    site_xy = sites[["lat", "lng", "insee_com"]].dropna(subset=["lat", "lng"]).copy()
    site_xy["region"] = _regions(site_xy["insee_com"], site_xy["lat"], site_xy["lng"])

    referrals = pd.DataFrame({
        "area": areas["area"].reindex(located["person_id"]).to_numpy(),
        "service_id": located["service_id"].to_numpy(),
        "category": located["category"].to_numpy()})

    regions_present = set(people["region"]) | set(unmatched["region"]) | \
        set(svc["region"]) | set(site_xy["region"])
    overseas = [c for c in _OVERSEAS if c in regions_present]
    mainland = "" in regions_present
    use_insets = bool(overseas) and mainland if insets is None else \
        bool(insets) and bool(overseas) and mainland
    if not use_insets:
        for frame in (people, unmatched, svc, site_xy):
            frame["region"] = ""
        overseas = []

    def extent_of(region: str) -> Optional[tuple[float, float, float, float]]:
        frames = (people, unmatched, svc, site_xy)
        xs = [f.loc[f["region"] == region, "lng"] for f in frames]
        ys = [f.loc[f["region"] == region, "lat"] for f in frames]
        return _padded(np.concatenate(xs).astype(float), np.concatenate(ys).astype(float))

    main_extent = extent_of("")
    if use_insets:
        main_extent = _union(main_extent, _MAINLAND)
    if main_extent is None:
        main_extent = _MAINLAND

    if ax is None:
        fig = Figure(figsize=(11, 8.5))
        ax = fig.add_subplot()
    else:
        fig = ax.figure

    layers = {"": _build_layers("", people, unmatched, svc, site_xy, referrals,
                                pool, main_extent)}
    extents = {"": main_extent}
    for code in overseas:
        extents[code] = _union(extent_of(code), _OVERSEAS[code][1])
        layers[code] = _build_layers(code, people, unmatched, svc, site_xy,
                                     referrals, pool, extents[code])

    # One size scale for every axes of the figure.
    def every(name: str, column: str) -> np.ndarray:
        return np.concatenate([getattr(l, name)[column].to_numpy(dtype=float)
                               for l in layers.values()] + [np.zeros(0)])

    cell_pt = None
    if layers[""].cell is not None:
        # Points per degree of longitude once the aspect is applied.
        x0, x1, y0, y1 = main_extent
        box = ax.get_position()
        width, height = fig.get_size_inches()
        across = min(box.width * width / (x1 - x0),
                     box.height * height * math.cos(math.radians((y0 + y1) / 2))
                     / (y1 - y0))
        cell_pt = 72 * across * layers[""].cell
    scales = {"people": _area_of(every("people", "count"), _PEOPLE_AREA, cell_pt),
              "unmatched": _area_of(every("unmatched", "count"), _UNMATCHED_AREA,
                                    cell_pt, cells=0.8),
              "services": _area_of(every("services", "places"), _SERVICE_AREA, cell_pt),
              # Sites (size, z-order): small and under the counts when
              # pooled (one per cell), over the services.
              "sites": (30.0, 5.0) if layers[""].cell is None else (10.0, 3.6)}
    colors = category_colors()
    cmap = colormaps["viridis"]

    drawn = _draw_layers(ax, layers[""], scales, colors, lines, cmap)
    _set_extent(ax, main_extent)
    _scale_bar(ax, main_extent)
    ax.set_xlabel(texts["lon"])
    ax.set_ylabel(texts["lat"])
    for slot, code in zip(_INSET_SLOTS, overseas):
        inset = ax.inset_axes(list(slot))
        inset.set_gid(f"inset-{code}")
        _draw_layers(inset, layers[code], scales, colors, lines, cmap)
        _set_extent(inset, extents[code])
        inset.set_anchor("SW")
        _scale_bar(inset, extents[code], fontsize=5, fraction=0.3)
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_title(f"{_OVERSEAS[code][0]} ({code})", fontsize=7, pad=2)
        inset.set_facecolor("white")

    # Colour bar of the fill rate, under the legend, outside the map.
    cax = ax.inset_axes([1.03, 0.0, 0.025, 0.28])
    cax.set_gid("colorbar")
    bar = fig.colorbar(drawn, cax=cax)
    bar.ax.tick_params(labelsize=7)

    _legend(ax, layers, scales, colors, cmap, lines, lang)
    bar.set_label(texts["fill"], fontsize=8)

    where = territory if territory is not None else texts["all_territories"]
    if category is not None:
        where = f"{where}, {_category_labels(lang)[category]}"
    missed_people = u["person_id"].nunique()
    ax.set_title(texts["map_title"].format(
        where=where, covered=len(a), total=len(a) + len(u),
        people=f"{missed_people} {texts['people_word'][missed_people > 1]}"),
        fontsize=10)
    _save(fig, path)
    return fig


def __getattr__(name: str) -> Any:
    # The old name of plot_map, kept for a while; not in __all__ (it would
    # shadow the built-in map on `from maillage.plot import *`).
    if name == "map":
        warnings.warn("maillage.plot.map is deprecated: use "
                      "maillage.plot.plot_map", DeprecationWarning, stacklevel=2)
        return plot_map
    raise AttributeError(f"module 'maillage.plot' has no attribute '{name}'")


# --- the coverage chart -------------------------------------------------------


def _of(counts: pd.Series, territory: Optional[str]) -> pd.Series:
    if territory is None:
        return counts
    return counts[counts.index.get_level_values("territory") == territory]


def coverage(plan: Plan, path: Optional[PathLike] = None, *,
             ax: Union[None, "Axes", Sequence["Axes"], np.ndarray] = None,
             territories: Optional[Sequence[str]] = None,
             max_panels: int = 12,
             sharex: bool = True,
             lang: str = "fr") -> "Figure":
    """Needs covered and unmatched per theme category, one panel per
    territory: a horizontal bar per category, covered needs (pinned
    supports included) then the unmatched ones split by reason (no service
    for the theme, none eligible, out of reach, all full). Each panel's
    title gives its covered needs over its needs.

    Parameters:
        plan: the :class:`~maillage.Plan` to draw.
        path: saves a PNG there when given.
        ax: where to draw: one matplotlib Axes (one panel, the sum of the
            territories shown) or an array / sequence of Axes (one panel
            each, in order; extra axes are hidden; ValueError when there
            are fewer axes than panels). Default: a new figure.
        territories: the territories to show (ValueError for an unknown
            one); default all of the plan's.
        max_panels: with more territories than this (a national network),
            one panel sums them all.
        sharex: the same needs scale on every panel (default), so that
            panels compare; False scales each to its own largest bar.
        lang: ``"fr"`` (default, with the categories' French labels) or
            ``"en"``.

    Returns the Figure (that of ``ax`` when given).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    texts = _texts(lang)
    a = plan._table("assignments")
    u = plan._table("unmatched")
    names = sorted(set(a["territory"]) | set(u["territory"]))
    if territories is not None:
        wanted = [territories] if isinstance(territories, str) else list(territories)
        unknown = set(wanted) - set(names)
        if unknown:
            raise ValueError(f"no territory {sorted(unknown)} in the plan")
        names = [t for t in names if t in set(wanted)]
        a = a[a["territory"].isin(names)]
        u = u[u["territory"].isin(names)]

    given: Optional[list[Any]] = None
    if ax is not None:
        given = list(np.ravel(np.asarray(ax, dtype=object)))
    panels: list[tuple[str, Optional[str]]] = [(t, t) for t in names]
    if len(panels) > max_panels or (given is not None and len(given) == 1):
        panels = [(texts["sum"].format(n=len(names)), None)] if len(names) != 1 \
            else panels
    if given is not None and len(given) < len(panels):
        raise ValueError(f"coverage: {len(panels)} panels to draw and only "
                         f"{len(given)} axes given")

    covered = a.groupby(["territory", "category"]).size()
    missed = u.groupby(["territory", "category", "reason"]).size()
    present = set(a["category"]) | set(u["category"])
    categories = [c for c in _core.category_codes() if c in present]
    labels = _category_labels(lang)
    reasons = list(REASON_COLORS)

    if given is None:
        ncols = min(4, len(panels)) or 1
        nrows = math.ceil(len(panels) / ncols) or 1
        fig = Figure(figsize=(3.6 * ncols + 3.4,
                              0.26 * max(len(categories), 4) * nrows + 1.6))
        grid = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
        axes = list(grid.ravel())
    else:
        axes = given
        fig = axes[0].figure

    y = np.arange(len(categories))
    totals = []
    for i, (title, name) in enumerate(panels):
        panel = axes[i]
        cov = _of(covered, name).groupby(level="category").sum() \
            .reindex(categories, fill_value=0)
        mis = _of(missed, name).groupby(level=["category", "reason"]).sum() \
            .unstack("reason", fill_value=0) \
            .reindex(index=categories, columns=reasons, fill_value=0)
        panel.barh(y, cov.to_numpy(), color=COVERED_COLOR, height=0.75)
        left = cov.to_numpy().astype(float)
        for r in reasons:
            width = mis[r].to_numpy()
            panel.barh(y, width, left=left, color=REASON_COLORS[r], height=0.75)
            left = left + width
        totals.append(float(left.max(initial=0.0)))
        total = int(left.sum())
        done = int(cov.sum())
        share = (texts["percent"].format(p=100 * done / total) if total
                 else texts["no_need"])
        panel.set_title(texts["panel"].format(title=title, done=done, total=total,
                                              share=share), fontsize=9)
        panel.set_xlabel(texts["needs"], fontsize=8)
        panel.tick_params(labelsize=7)
        panel.grid(axis="x", alpha=0.3)
        panel.set_axisbelow(True)
        panel.set_yticks(y)
        spec = panel.get_subplotspec() if hasattr(panel, "get_subplotspec") else None
        if spec is None or spec.is_first_col():
            panel.set_yticklabels([labels.get(c, c) for c in categories])
        else:
            panel.tick_params(labelleft=False)
        panel.set_ylim(len(categories) - 0.5, -0.5)
    shared = max(totals + [1.0])
    for panel, own in zip(axes, totals):
        panel.set_xlim(0, 1.05 * (shared if sharex else max(own, 1.0)))
    for extra in axes[len(panels):]:
        extra.set_visible(False)

    handles = [Patch(color=COVERED_COLOR, label=texts["covered"])]
    handles += [Patch(color=REASON_COLORS[r], label=texts[r]) for r in reasons]
    if given is None:
        fig.legend(handles=handles, loc="lower center", ncol=5 if ncols >= 3 else 2,
                   fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
        fig.suptitle(texts["coverage_title"])
        fig.tight_layout(rect=(0, 0.05 if ncols >= 3 else 0.08, 1, 0.97))
    else:
        axes[len(panels) - 1].legend(handles=handles, loc="upper left",
                                     bbox_to_anchor=(1.01, 1.0), fontsize=8,
                                     frameon=False)
    _save(fig, path)
    return fig
