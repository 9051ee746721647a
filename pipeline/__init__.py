"""The build: load annotations and sources, validate at three levels, publish the data package."""
