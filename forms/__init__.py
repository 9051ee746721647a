"""The forms derived from the declarations in ``schema/``, one module each: how each ecosystem sees the data.

``arrow_schema`` (Arrow), ``pandera_schema`` (pandera), ``frictionless_schema`` (Table Schema), ``json_schemas``
(the annotation files' JSON Schemas in ``schema/json/``), ``data_dictionary`` (``DATA.md``), ``dataset_card``
(the Hugging Face card, with its hand-written sections in ``card/``) and ``croissant`` (Croissant 1.1). Each
reads only the declarations and the built data; none is imported by ``schema/``.
"""
