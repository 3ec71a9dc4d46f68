"""Results of runs: tables, statistics and files."""
