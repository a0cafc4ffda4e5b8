"""maillage.plot: what the marks of the map and the coverage chart say.

The small network below is drawn by hand; its plan is known:

    commune 69123 (Lyon)              commune 69266 (Villeurbanne)
      p1 p2 p3 --logement--> sv-full    p4 p5 --emploi--> sv-big (10 places,
      (2 places: full, p1 left out)           4 pinned by p1..p4, +p5)
      p1 p2 p3 --emploi----> sv-big     p4 --mobilité--> sv-unknown (no places
                                              published: one assumed)
                                        p5 santé: no service (unmatched)
                                        sv-mid: 6 places, nobody (se-former)

so sv-big and sv-mid both have 6 free places but 10 and 6 places in all.
"""

from __future__ import annotations

import builtins
import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

import maillage
import maillage.plot
from maillage import _core

PNG = b"\x89PNG\r\n\x1a\n"
OVERSEAS = ("971", "972", "973", "974", "976")


def small_frames() -> dict[str, pd.DataFrame]:
    sites = pd.DataFrame({"site_id": ["s1"], "name": ["ACI"], "territory": ["lyon"],
                          "insee_com": ["69123"], "lat": [45.7640], "lng": [4.8357]})
    partners = pd.DataFrame({"partner_id": ["pa", "pb"], "name": ["A", "B"],
                             "insee_com": ["69123", "69266"]})
    services = pd.DataFrame({
        "service_id": ["sv-full", "sv-big", "sv-mid", "sv-unknown"],
        "partner_id": ["pa", "pb", "pb", "pb"],
        "thematiques": ["logement-hebergement", "trouver-un-emploi", "se-former",
                        "mobilite"],
        "publics": "tous-publics", "modes_accueil": "en-presentiel",
        "insee_com": ["69123", "69266", "69266", "69266"],
        "lat": [45.7600, 45.7700, 45.7750, 45.7710],
        "lng": [4.8300, 4.8800, 4.8700, 4.8810],
        "capacity_available": pd.array([2, 10, 6, None], dtype="Int64")})
    persons = pd.DataFrame({
        "person_id": ["p1", "p2", "p3", "p4", "p5"], "site_id": "s1",
        "insee_com": ["69123", "69123", "69123", "69266", "69266"],
        "lat": [45.761, 45.752, 45.770, 45.772, 45.780],
        "lng": [4.851, 4.822, 4.830, 4.870, 4.890]})
    needs = pd.DataFrame({
        "person_id": ["p1", "p2", "p3", "p1", "p2", "p3", "p4", "p5", "p4", "p5"],
        "thematique": ["logement-hebergement"] * 3 + ["trouver-un-emploi"] * 5
        + ["mobilite", "sante"],
        "urgency": 2})
    supports = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"],
                             "service_id": "sv-big", "thematique": "trouver-un-emploi",
                             "status": "current"})
    return dict(sites=sites, partners=partners, services=services, persons=persons,
                needs=needs, supports=supports)


@pytest.fixture(scope="module")
def small_plan() -> maillage.Plan:
    return maillage.Network.from_frames(**small_frames()).allocate()


@pytest.fixture(scope="module")
def centres() -> pd.DataFrame:
    """The communes' centres as the library places a person without
    coordinates."""
    frames = small_frames()
    frames["persons"] = frames["persons"].assign(lat=np.nan, lng=np.nan)
    people = maillage.Network.from_frames(**frames).to_frames()["persons"]
    return people.groupby("insee_com")[["lng", "lat"]].first()


@pytest.fixture(scope="module")
def convergence_plan() -> maillage.Plan:
    return maillage.generate(all=True, seed=1).allocate()


@pytest.fixture(scope="module")
def national_plan() -> maillage.Plan:
    return maillage.generate(national=True, seed=1, scale=0.02).allocate()


def layer(ax, gid: str):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) <= 1, gid
    return found[0] if found else None


def points(ax, gid: str) -> set[tuple[float, float]]:
    return {(round(x, 6), round(y, 6)) for x, y in layer(ax, gid).get_offsets()}


def every_axes(fig: Figure) -> list:
    out, todo = [], list(fig.axes)
    while todo:
        ax = todo.pop()
        out.append(ax)
        todo.extend(ax.child_axes)
    return out


# --- the map ----------------------------------------------------------------


def test_services_sized_by_total_places_and_coloured_by_fill(small_plan):
    ax = maillage.plot.plot_map(small_plan).axes[0]
    services = layer(ax, "services")
    where = {(round(x, 6), round(y, 6)): i
             for i, (x, y) in enumerate(services.get_offsets())}
    frame = small_frames()["services"].set_index("service_id")
    index = {s: where[(round(frame.at[s, "lng"], 6), round(frame.at[s, "lat"], 6))]
             for s in ("sv-full", "sv-big", "sv-mid")}
    assert len(where) == 3  # sv-unknown is drawn apart
    size = {s: services.get_sizes()[i] for s, i in index.items()}
    # Area affine in all places (2, 10, 6), not in free places (2, 6, 6).
    assert size["sv-big"] > size["sv-mid"] > size["sv-full"]
    assert math.isclose((size["sv-big"] - size["sv-full"]) / 8,
                        (size["sv-mid"] - size["sv-full"]) / 4)
    fill = {s: services.get_array()[i] for s, i in index.items()}
    assert fill == {"sv-full": 1.0, "sv-big": 0.5, "sv-mid": 0.0}
    assert services.get_cmap().name == "viridis"
    assert services.norm.vmin == 0 and services.norm.vmax == 1


def test_full_services_get_a_ring(small_plan):
    ax = maillage.plot.plot_map(small_plan).axes[0]
    frame = small_frames()["services"].set_index("service_id")
    assert points(ax, "services-full") == {(4.83, 45.76)}  # sv-full only
    assert points(ax, "services-unknown") == {
        (frame.at["sv-unknown", "lng"], frame.at["sv-unknown", "lat"])}
    # On the convergence plan: exactly the services whose places are taken.
    plan = maillage.generate(territory="lyon", seed=3).allocate()
    ax = maillage.plot.plot_map(plan, pool=False).axes[0]
    prices = plan.shadow_prices
    full = prices[prices["capacity_known"]
                  & (prices["pinned_places"] + prices["assigned"]
                     >= prices["capacity_available"])]["service_id"]
    located = plan.network.to_frames()["services"].set_index("service_id") \
        .reindex(full)[["lng", "lat"]].dropna()
    assert len(located) > 5
    assert points(ax, "services-full") == {(round(x, 6), round(y, 6))
                                           for x, y in located.to_numpy()}


def test_people_counted_at_commune_centres_never_located(small_plan, centres):
    fig = maillage.plot.plot_map(small_plan)
    ax = fig.axes[0]
    people = layer(ax, "people")
    drawn = {(round(x, 6), round(y, 6)): n
             for (x, y), n in zip(people.get_offsets(), people.get_sizes())}
    expected = {(round(centres.at[c, "lng"], 6), round(centres.at[c, "lat"], 6))
                for c in ("69123", "69266")}
    assert set(drawn) == expected
    lyon = (round(centres.at["69123", "lng"], 6), round(centres.at["69123", "lat"], 6))
    villeurbanne = (round(centres.at["69266", "lng"], 6),
                    round(centres.at["69266", "lat"], 6))
    assert drawn[lyon] > drawn[villeurbanne]  # 3 people, 2
    assert points(ax, "unmatched") == {lyon, villeurbanne}  # one need each
    # No mark of any axes is at a person's own coordinates.
    own = {(round(x, 6), round(y, 6)) for x, y in
           small_frames()["persons"][["lng", "lat"]].to_numpy()}
    for a in every_axes(fig):
        for c in a.collections:
            if c.get_gid() in ("people", "unmatched"):
                marks = {(round(x, 6), round(y, 6)) for x, y in c.get_offsets()}
                assert not marks & own


def test_people_without_a_known_commune(centres):
    # p5's commune is not in the library's table: counted at their site
    # (never at a position derived from their own). p4 without a commune
    # gets the one the library finds for them (Lyon's), and is counted
    # there.
    frames = small_frames()
    frames["persons"].loc[3, "insee_com"] = None
    frames["persons"].loc[4, "insee_com"] = "99999"
    plan = maillage.Network.from_frames(**frames).allocate()
    ax = maillage.plot.plot_map(plan).axes[0]
    lyon = (round(centres.at["69123", "lng"], 6), round(centres.at["69123", "lat"], 6))
    site = frames["sites"].set_index("site_id").loc["s1"]
    assert points(ax, "people") == {lyon, (round(site["lng"], 6),
                                           round(site["lat"], 6))}
    own = frames["persons"].loc[4, ["lng", "lat"]].to_numpy()
    assert (round(own[0], 6), round(own[1], 6)) not in points(ax, "people")


def test_people_of_a_territory_by_commune(convergence_plan):
    ax = maillage.plot.plot_map(convergence_plan, territory="lyon", pool=False).axes[0]
    frames = convergence_plan.network.to_frames()
    sites = frames["sites"]
    persons = frames["persons"]
    lyon = persons[persons["site_id"].isin(sites.loc[sites["territory"] == "lyon",
                                                     "site_id"])]
    people = layer(ax, "people")
    assert len(people.get_offsets()) == lyon["insee_com"].nunique()
    # Sizes grow with the people of each commune.
    counts = np.sort(lyon.groupby("insee_com").size().to_numpy())
    sizes = np.sort(people.get_sizes())
    assert np.all(np.diff(sizes)[np.diff(counts) > 0] > 0)
    own = {(round(x, 6), round(y, 6)) for x, y in lyon[["lng", "lat"]].to_numpy()}
    assert not points(ax, "people") & own


def test_lines_only_on_request(small_plan, centres):
    ax = maillage.plot.plot_map(small_plan).axes[0]
    assert not [c for c in ax.collections if isinstance(c, LineCollection)]
    ax = maillage.plot.plot_map(small_plan, lines=True).axes[0]
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines) == 1 and lines[0].get_gid() == "referrals"
    # One segment per commune × service × category: 69123 -> sv-full,
    # 69123 -> sv-big, 69266 -> sv-big, 69266 -> sv-unknown.
    frame = small_frames()["services"].set_index("service_id")

    def at(c):
        return (round(centres.at[c, "lng"], 6), round(centres.at[c, "lat"], 6))

    def of(s):
        return (round(frame.at[s, "lng"], 6), round(frame.at[s, "lat"], 6))

    segments = {tuple((round(x, 6), round(y, 6)) for x, y in seg)
                for seg in lines[0].get_segments()}
    assert segments == {(at("69123"), of("sv-full")), (at("69123"), of("sv-big")),
                        (at("69266"), of("sv-big")), (at("69266"), of("sv-unknown"))}
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "orientation : Logement, hébergement" in labels


def test_category_restricts_services_and_needs(small_plan, centres):
    ax = maillage.plot.plot_map(small_plan, category="logement-hebergement",
                                lines=True).axes[0]
    assert points(ax, "services") == {(4.83, 45.76)}  # sv-full
    assert len(layer(ax, "services-unknown").get_offsets()) == 0
    lyon = (round(centres.at["69123", "lng"], 6), round(centres.at["69123", "lat"], 6))
    assert points(ax, "people") == {lyon}
    assert points(ax, "unmatched") == {lyon}
    assert len(layer(ax, "referrals").get_segments()) == 1
    assert ax.get_title() == ("Plan d'orientation, tous les territoires, Logement, "
                              "hébergement : 2 sur 3 besoins couverts, 1 personne "
                              "avec un besoin non couvert")
    with pytest.raises(ValueError, match="category of that theme is "
                                         "'logement-hebergement'"):
        maillage.plot.plot_map(
            small_plan, category="logement-hebergement--rechercher-une-solution-"
                                 "dhebergement-temporaire")
    with pytest.raises(ValueError, match="no theme category"):
        maillage.plot.plot_map(small_plan, category="atlantis")


def test_map_of_a_territory(convergence_plan, tmp_path):
    path = tmp_path / "map.png"
    fig = maillage.plot.plot_map(convergence_plan, path=path, territory="lyon")
    assert isinstance(fig, Figure)
    assert path.read_bytes()[:8] == PNG and path.stat().st_size > 50_000
    ax = fig.axes[0]
    assert ax.get_xlabel() == "longitude (°E)" and ax.get_ylabel() == "latitude (°N)"
    a, u = convergence_plan.assignments, convergence_plan.unmatched
    title = ax.get_title()
    assert title.startswith("Plan d'orientation, lyon : ")
    assert f" : {len(a[a['territory'] == 'lyon'])} sur " in title
    assert f"{u.loc[u['territory'] == 'lyon', 'person_id'].nunique()} personnes" in title
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "service complet" in labels and "site (chantier d'insertion)" in labels
    # Sites of Lyon only.
    sites = convergence_plan.network.to_frames()["sites"]
    assert len(layer(ax, "sites").get_offsets()) == (sites["territory"] == "lyon").sum()
    with pytest.raises(ValueError, match="no territory 'atlantis'"):
        maillage.plot.plot_map(convergence_plan, territory="atlantis")


def test_english_labels(small_plan):
    ax = maillage.plot.plot_map(small_plan, lang="en").axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "full service" in labels
    assert ax.get_title().startswith("Referral plan, all territories: 8 of 10 needs")
    with pytest.raises(ValueError, match="lang"):
        maillage.plot.plot_map(small_plan, lang="de")


def test_map_on_given_axes(small_plan):
    fig = Figure()
    ax, other = fig.subplots(1, 2)
    assert maillage.plot.plot_map(small_plan, ax=ax) is fig
    assert layer(ax, "services") is not None and not other.collections


def test_scale_bar_in_km(convergence_plan):
    ax = maillage.plot.plot_map(convergence_plan, territory="lyon").axes[0]
    bars = [a for a in ax.artists if a.get_gid() == "scale-bar"]
    assert len(bars) == 1
    label = bars[0].txt_label.get_text()
    km = float(label.removesuffix(" km"))
    assert label.endswith(" km") and km in (1, 2, 5, 10, 20, 50)
    width = bars[0].size_bar.get_children()[0].get_width()  # degrees of longitude
    y0, y1 = ax.get_ylim()
    assert math.isclose(width * 111.32 * math.cos(math.radians((y0 + y1) / 2)), km)
    x0, x1 = ax.get_xlim()
    assert 0.1 <= width / (x1 - x0) <= 0.25


def test_national_map_insets_and_grid(national_plan):
    fig = maillage.plot.plot_map(national_plan)
    ax = fig.axes[0]
    frames = national_plan.network.to_frames()
    persons = frames["persons"]
    prefix = persons["insee_com"].str[:3]
    communes = pd.concat([frames[t]["insee_com"] for t in ("persons", "sites", "services")])
    present = {c for c in OVERSEAS if (communes.str[:3] == c).any()}
    assert len(present) >= 3
    insets = {a.get_gid(): a for a in ax.child_axes
              if str(a.get_gid()).startswith("inset-")}
    assert set(insets) == {f"inset-{c}" for c in present}
    # Mainland fills the main axes; each inset shows its département.
    x0, x1 = ax.get_xlim()
    assert -6.5 < x0 and x1 < 11
    reunion = insets.get("inset-974")
    if reunion is not None:
        rx0, rx1 = reunion.get_xlim()
        assert 55 < rx0 < rx1 < 56.2
    # Many communes: people pooled on a grid, never at their coordinates.
    mainland = persons.loc[~prefix.isin(OVERSEAS), "insee_com"].nunique()
    assert mainland > 300
    assert len(layer(ax, "people").get_offsets()) < mainland / 2
    own = {(round(x, 6), round(y, 6)) for x, y in persons[["lng", "lat"]].to_numpy()}
    for c in [""] + sorted(present):
        a = insets[f"inset-{c}"] if c else ax
        assert not points(a, "people") & own
        assert (len(layer(a, "people").get_offsets()) > 0) == \
            (c == "" or (prefix == c).any())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("personnes par maille de ") for t in labels)
    # One axes for everything on request: the overseas départements stretch it.
    flat = maillage.plot.plot_map(national_plan, insets=False, pool=0.5).axes[0]
    assert not [a for a in flat.child_axes if str(a.get_gid()).startswith("inset-")]
    assert flat.get_xlim()[0] < -50


def test_grid_pooling_keeps_counts(convergence_plan):
    # Expected: people per commune at the commune's centre (as the library
    # places a person without coordinates), summed per 0.5° cell at the
    # count-weighted mean of the centres.
    frames = convergence_plan.network.to_frames()
    persons = frames["persons"]
    frames["persons"] = persons.assign(lat=np.nan, lng=np.nan)
    at = maillage.Network.from_frames(**frames).to_frames()["persons"]
    per = at.groupby("insee_com").agg(lng=("lng", "first"), lat=("lat", "first"),
                                      n=("lat", "size"))
    per["cell"] = list(zip(np.floor(per["lng"] / 0.5), np.floor(per["lat"] / 0.5)))
    per["wx"], per["wy"] = per["lng"] * per["n"], per["lat"] * per["n"]
    cells = per.groupby("cell")[["wx", "wy", "n"]].sum()
    expected = {(round(x / n, 6), round(y / n, 6)): n
                for x, y, n in cells.to_numpy()}

    ax = maillage.plot.plot_map(convergence_plan, pool=0.5).axes[0]
    people = layer(ax, "people")
    drawn = {(round(x, 6), round(y, 6)): size
             for (x, y), size in zip(people.get_offsets(), people.get_sizes())}
    assert set(drawn) == set(expected)
    assert len(drawn) < persons["insee_com"].nunique()
    counts = np.array([expected[k] for k in drawn], dtype=float)
    sizes = np.array(list(drawn.values()))
    slope, base = np.polyfit(counts, sizes, 1)
    assert slope > 0 and np.allclose(base + slope * counts, sizes)
    assert counts.sum() == len(persons)


def test_palette_is_safe_and_apart_from_unmatched():
    colors = maillage.plot.category_colors()
    assert list(colors) == _core.category_codes()
    values = [c.lower() for c in colors.values()]
    assert len(set(values)) == len(values)
    unmatched = maillage.plot.UNMATCHED_COLOR.lower()
    assert unmatched not in values
    far = min(math.dist(to_rgb(c), to_rgb(unmatched)) for c in values)
    assert far > 0.2
    assert maillage.plot.REASON_COLORS["capacity_full"] == maillage.plot.UNMATCHED_COLOR


def test_module_names():
    assert maillage.plot.__all__ == ["coverage", "category_colors", "plot_map"]
    namespace: dict = {}
    exec("from maillage.plot import *", namespace)
    assert "map" not in namespace
    with pytest.warns(DeprecationWarning, match="plot_map"):
        old = maillage.plot.map
    assert old is maillage.plot.plot_map
    assert builtins.map is map
    with pytest.raises(AttributeError):
        maillage.plot.nothing_here


def test_plot_is_imported_on_demand():
    import importlib
    module = importlib.import_module("maillage")
    assert module.plot is maillage.plot
    # matplotlib waits for the first picture.
    code = ("import sys, maillage, maillage.plot; "
            "assert 'matplotlib' not in sys.modules, 'imported'")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, timeout=120, env=dict(os.environ))
    assert run.returncode == 0, run.stderr[-2000:]


# --- the coverage chart -------------------------------------------------------


def test_coverage(convergence_plan, tmp_path):
    path = tmp_path / "coverage.png"
    fig = maillage.plot.coverage(convergence_plan, path=path)
    assert path.read_bytes()[:8] == PNG and path.stat().st_size > 50_000
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 8
    s = convergence_plan.summary["territories"]["lyon"]
    titles = [ax.get_title() for ax in panels]
    assert f"lyon : {s['needs_covered']}/{s['needs']} couverts" in " ".join(titles)
    # Bar lengths add up to the needs of each territory.
    lyon = panels[[t.startswith("lyon :") for t in titles].index(True)]
    assert sum(p.get_width() for p in lyon.patches) == s["needs"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["couverts", "non couverts : aucun service pour le thème",
                      "non couverts : aucun service éligible",
                      "non couverts : hors de portée", "non couverts : tous complets"]
    ticks = [t.get_text() for t in panels[0].get_yticklabels()]
    assert "Logement, hébergement" in ticks and "logement-hebergement" not in ticks
    # The same needs scale on every panel by default.
    assert len({ax.get_xlim() for ax in panels}) == 1


def test_coverage_english_and_own_scales(convergence_plan):
    fig = maillage.plot.coverage(convergence_plan, lang="en", sharex=False)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len({ax.get_xlim() for ax in panels}) > 1
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0] == "covered" and legend[-1] == "unmatched: all full"
    ticks = [t.get_text() for t in panels[0].get_yticklabels()]
    assert "Housing, shelter" in ticks
    assert any(t.get_text().startswith("lyon: ") for t in
               [ax.title for ax in panels])


def test_coverage_into_given_axes(convergence_plan):
    fig = Figure()
    axes = fig.subplots(1, 3)
    assert maillage.plot.coverage(convergence_plan, ax=axes,
                                  territories=["lyon", "paris"]) is fig
    assert axes[0].get_title().startswith("lyon : ")
    assert axes[1].get_title().startswith("paris : ")
    assert not axes[2].get_visible()
    assert axes[0].get_xlim() == axes[1].get_xlim()
    # One Axes: one panel, the sum.
    fig = Figure()
    ax = fig.add_subplot()
    maillage.plot.coverage(convergence_plan, ax=ax)
    s = convergence_plan.summary
    assert ax.get_title().startswith(
        f"les 8 territoires : {s['needs_covered']}/{s['needs']} couverts")
    assert sum(p.get_width() for p in ax.patches) == s["needs"]
    with pytest.raises(ValueError, match="only 2 axes"):
        maillage.plot.coverage(convergence_plan, ax=fig.subplots(1, 2))


def test_coverage_many_territories_sum_up(convergence_plan):
    fig = maillage.plot.coverage(convergence_plan, max_panels=4)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 1
    s = convergence_plan.summary
    assert panels[0].get_title().startswith(
        f"les 8 territoires : {s['needs_covered']}/{s['needs']} couverts")
    fig = maillage.plot.coverage(convergence_plan, territories=["lyon", "paris"])
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2
    with pytest.raises(ValueError):
        maillage.plot.coverage(convergence_plan, territories=["atlantis"])
