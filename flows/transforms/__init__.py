"""Pure pipeline steps: strings and DataFrames in, DataFrames out (no Prefect, no paths, no I/O)."""
