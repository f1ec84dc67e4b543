"""ipgov ETL: source files → validated raw tables → staging → marts → published snapshots."""
