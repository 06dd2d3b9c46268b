"""What a survey's code may be (the XLSForm form_id): light enough for the console's forms
to import without loading pyxform."""

import re

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
