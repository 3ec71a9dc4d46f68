"""Experiments: many runs of one scenario (ensembles, sweeps) on Dask, stored as Parquet."""
