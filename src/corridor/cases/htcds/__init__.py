"""HTCDS 2.0 import and export: IOM's Excel template (and CSV) in, the same columns out.

- ``schema``: the column map, labels and value sets of the template;
- ``parser``: a file read into checked rows (nothing written);
- ``importer``: rows into people and cases through the services (``htcds_import``);
- ``exporter``: the visible cases as CSV or XLSX in the template's layout (``htcds_export``).
"""
