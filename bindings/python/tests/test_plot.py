"""maillage.plot: the map and the coverage chart produce readable PNGs."""

from __future__ import annotations

import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

import maillage
import maillage.plot

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def convergence_plan():
    return maillage.generate(all=True, seed=1).allocate()


def test_map_of_a_territory(convergence_plan, tmp_path):
    path = tmp_path / "map.png"
    fig = maillage.plot.map(convergence_plan, path=path, territory="lyon")
    assert isinstance(fig, Figure)
    assert path.read_bytes()[:8] == PNG and path.stat().st_size > 50_000
    ax = fig.axes[0]
    assert ax.get_xlabel() == "longitude (°E)" and ax.get_ylabel() == "latitude (°N)"
    # One line per covered need of Lyon reached in person at a located
    # service (a current support may be with a remote-only service).
    a = convergence_plan.assignments
    services = convergence_plan.network.to_frames()["services"].set_index("service_id")
    located = services["lat"].reindex(a["service_id"]).notna().to_numpy()
    lyon = a[(a["territory"] == "lyon") & ~a["remote"] & located]
    assert len(lyon) > 100
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines) == 1 and len(lines[0].get_segments()) == len(lyon)
    u = convergence_plan.unmatched
    title = ax.get_title()
    assert f"{len(a[a['territory'] == 'lyon'])} of " in title
    assert f"{u.loc[u['territory'] == 'lyon', 'person_id'].nunique()} people" in title
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "person with an unmatched need" in labels
    assert "referral: logement-hebergement" in labels


def test_map_on_given_axes(convergence_plan):
    fig = Figure()
    ax = fig.add_subplot()
    assert maillage.plot.map(convergence_plan, ax=ax) is fig
    with pytest.raises(ValueError, match="no territory 'atlantis'"):
        maillage.plot.map(convergence_plan, territory="atlantis")


def test_coverage(convergence_plan, tmp_path):
    path = tmp_path / "coverage.png"
    fig = maillage.plot.coverage(convergence_plan, path=path)
    assert path.read_bytes()[:8] == PNG and path.stat().st_size > 50_000
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 8
    s = convergence_plan.summary["territories"]["lyon"]
    titles = [ax.get_title() for ax in panels]
    assert f"lyon: {s['needs_covered']}/{s['needs']} covered" in " ".join(titles)
    # Bar lengths add up to the needs of each territory.
    lyon = panels[[t.startswith("lyon:") for t in titles].index(True)]
    assert sum(p.get_width() for p in lyon.patches) == s["needs"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["covered", "unmatched: no service for the theme",
                      "unmatched: none eligible", "unmatched: out of reach",
                      "unmatched: all full"]


def test_coverage_many_territories_sum_up(convergence_plan):
    fig = maillage.plot.coverage(convergence_plan, max_panels=4)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 1
    s = convergence_plan.summary
    assert panels[0].get_title().startswith(
        f"all 8 territories: {s['needs_covered']}/{s['needs']} covered")
    fig = maillage.plot.coverage(convergence_plan, territories=["lyon", "paris"])
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2
    with pytest.raises(ValueError):
        maillage.plot.coverage(convergence_plan, territories=["atlantis"])


def test_plot_is_imported_on_demand():
    import importlib
    module = importlib.import_module("maillage")
    assert module.plot is maillage.plot
