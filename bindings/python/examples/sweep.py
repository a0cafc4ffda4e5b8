"""The Dask capacity sweep: `python3 -m maillage.sweep`, the same options."""
import maillage.sweep
if __name__ == "__main__": maillage.sweep.main()  # noqa: E701
