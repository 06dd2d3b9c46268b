"""The uploaded .xlsx, its name and pyxform's XForm are kept with the draft they made."""

from __future__ import annotations

from xlsform_builders import good_form

from server.extensions import db
from server.surveys.models import SurveyVersion
from server.surveys.services import save_uploaded_draft


def test_the_source_and_the_xform_are_stored_with_the_draft(app, convert):
    data = good_form()
    result = convert(data, "Agua y chacra.xlsx")
    assert result.source_bytes == data and result.source_name == "Agua y chacra.xlsx"
    with app.test_request_context():
        version = save_uploaded_draft(result.code, result.definition, for_promoters=True,
                                      user=None, source=(result.source_name,
                                                         result.source_bytes, result.xform))
        version_id = version.id
        db.session.expire_all()
        stored = db.session.get(SurveyVersion, version_id)
        assert stored.source_name == "Agua y chacra.xlsx" and stored.source_bytes == data
        assert 'id="agua-chacra"' in stored.xform
        # a JSON definition uploaded over the draft has no spreadsheet: nothing stale stays
        save_uploaded_draft(result.code, result.definition, for_promoters=True, user=None,
                            source=(None, None, None))
        db.session.expire_all()
        stored = db.session.get(SurveyVersion, version_id)
        assert stored.source_name is None and stored.xform is None
