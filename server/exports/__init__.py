"""Exports of submissions: CSV, XLSX, GeoJSON, JSON Lines, optionally zipped with media;
a survey's repeats as tables of their own (CSV in a ZIP, XLSX sheets) or nested (JSON Lines).

Everything streams: rows come from one server-side cursor in batches, each batch's personal
answers and media are looked up at once, repeat rows are written in the same pass, and
writers turn rows into bytes as they go (docs/exports.md)."""
