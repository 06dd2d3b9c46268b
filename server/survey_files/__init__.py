"""Files attached to a survey version: CSV/GeoJSON lists for select_*_from_file and the
images, audio and video shown with labels and choices (docs/xlsform.md, "Survey files").

The bytes live in the media store by SHA-256; a version's SurveyFile rows and its
definition's `files` list name the same files. Only drafts change; published versions
are immutable, so a prompt recorded on one goes into a new draft copied from it."""
