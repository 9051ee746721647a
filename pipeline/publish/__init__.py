"""Publish: write the data package deterministically (CSV, Parquet, descriptor and its derived forms), with
writes that are staged, fsynced and renamed so nothing is left half-written."""
