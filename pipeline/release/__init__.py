"""Release: the one version, the CHANGELOG and released snapshots, the classification of schema changes,
and row-level differences since a git ref."""
