"""Exports of submissions: CSV, XLSX, GeoJSON, JSON Lines, optionally zipped with media.

Everything streams: rows come from one server-side cursor in batches, each batch's personal
answers and media are looked up at once, and writers turn rows into bytes as they go
(docs/exports.md)."""
