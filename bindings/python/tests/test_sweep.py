"""The Dask scenario sweep (examples/sweep.py) on a local cluster of two
worker processes."""

from __future__ import annotations

import importlib.util
import os

import pytest

import maillage
from conftest import EXAMPLES

distributed = pytest.importorskip("dask.distributed")


def load_sweep():
    spec = importlib.util.spec_from_file_location("sweep", EXAMPLES / "sweep.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# tornado (under distributed) warns about its own event loop use.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_small_sweep_on_a_local_cluster():
    sweep = load_sweep()
    territories, category = ["lyon", "rouen"], "logement-hebergement"
    factors = [0.0, 1.0, 2.0]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        rows = sweep.run_sweep(client, territories, [category], factors, seed=2)
    assert len(rows) == 6
    assert list(rows["territory"]) == ["lyon"] * 3 + ["rouen"] * 3
    # The tasks ran in the worker processes (networks and plans travelled
    # there and back pickled); how the scheduler spreads six short tasks
    # over the two workers is its own business.
    assert os.getpid() not in set(rows["worker_pid"])
    assert rows["worker_pid"].nunique() >= 1
    for territory, group in rows.groupby("territory"):
        group = group.set_index("factor")
        # Factor 1 is the network as generated: the plan computed here.
        plan = maillage.generate(territory=territory, seed=2).allocate()
        s = plan.summary["territories"][territory]
        assert group.loc[1.0, "needs_covered"] == s["needs_covered"]
        assert group.loc[1.0, "people_covered"] == s["people_covered"]
        # No place at all: only current supports cover housing needs.
        assert group.loc[0.0, "places"] == 0
        assert group.loc[0.0, "category_covered"] == group.loc[0.0, "category_pinned"]
        # More places never cover fewer people (level 1 of the objective).
        assert group["people_covered"].is_monotonic_increasing
        assert group.loc[2.0, "category_covered"] > group.loc[1.0, "category_covered"]
