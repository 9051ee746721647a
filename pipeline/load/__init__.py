"""Load: read the sources and annotation files byte for byte, parse the YAML safely, validate each record
(level 1: pydantic), anchor its evidence and derive the fields a person never writes."""
