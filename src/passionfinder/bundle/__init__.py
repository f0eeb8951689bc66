"""The compiled occupation catalog shipped with passionfinder: parquet tables and manifest.json.

Rebuilt from the official files by ``python scripts/build_bundle.py``; read by
:func:`passionfinder.load_catalog` when no data folder is found.
"""
