"""Projects CSV import: all or nothing, bad rows reported by line number."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.plans.importer import ProjectImportError, import_projects
from server.plans.models import Project
from server.plans.services import create_plan

HEADER = "code,name_es,name_qu,theme,districts,responsible,progress_pct\n"
PLAN = {"code": "P1", "name": {"es": "Plan", "qu": "Plan"}, "department": "180000",
        "themes": [{"code": "water", "name": {"es": "Agua", "qu": "Yaku"}},
                   {"code": "services", "name": {"es": "Servicios", "qu": "Sirwisyukuna"}}]}


@pytest.fixture
def plan(app):
    with app.app_context():
        yield create_plan(PLAN)


def projects(app) -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


def test_a_good_file_creates_projects_with_their_districts(app, plan):
    data = (HEADER + 'W-1,Represa,Qucha,water,"180102;180103",GORE Moquegua,40%\n'
            "S-1,Posta,Hampina wasi,services,180204,Municipalidad,\n").encode()
    result = import_projects(plan, data)
    assert result.created == ["W-1", "S-1"]
    project = db.session.scalar(select(Project).where(Project.code == "W-1"))
    assert {p.ubigeo for p in project.districts} == {"180102", "180103"}
    assert project.progress_pct == 40 and project.theme.code == "water"
    assert project.name_qu == "Qucha"


def test_reimport_updates_in_place(app, plan):
    import_projects(plan, (HEADER + "W-1,Represa,Qucha,water,180102,GORE,10\n").encode())
    result = import_projects(plan, (HEADER + "W-1,Represa,Qucha,water,180102,GORE,55\n").encode())
    assert result.updated == ["W-1"] and result.created == []
    assert projects(app) == 1
    assert db.session.scalar(select(Project)).progress_pct == 55


def test_bad_rows_are_reported_by_line_and_nothing_is_written(app, plan):
    data = (HEADER
            + "W-1,Represa,Qucha,water,180102,GORE,10\n"
            + "W-2,Canal,,water,180102,GORE,10\n"          # line 3: no Quechua name
            + "W-3,Canal,Yarqa,roads,999999,GORE,150\n"    # line 4: theme, district, progress
            + "W-1,Otra,Huk,water,180102,GORE,1\n").encode()  # line 5: repeated code
    with pytest.raises(ProjectImportError) as err:
        import_projects(plan, data)
    found = {(e.line, e.column) for e in err.value.errors}
    assert found == {(3, "name_qu"), (4, "theme"), (4, "districts"), (4, "progress_pct"),
                     (5, "code")}
    assert projects(app) == 0


def test_excel_style_semicolons_and_bom_are_read(app, plan):
    data = ("\ufeff" + HEADER.replace(",", ";")
            + "W-1;Represa;Qucha;water;180102,180103;GORE;5\n").encode("utf-8")
    assert import_projects(plan, data).created == ["W-1"]


def test_missing_columns_and_wrong_encoding_are_clear(app, plan):
    with pytest.raises(ProjectImportError) as err:
        import_projects(plan, b"code,name_es\nW-1,x\n")
    assert err.value.errors[0].line == 1 and "name_qu" in err.value.errors[0].message
    with pytest.raises(ProjectImportError) as err:
        import_projects(plan, (HEADER + "W-1,Represa Ñ,Q,water,180102,G,1\n").encode("latin-1"))
    assert "UTF-8" in err.value.errors[0].message


def test_cli_import_reports_lines(app, plan, runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "W-1,Represa,Qucha,nope,180102,GORE,10\n", encoding="utf-8")
    result = runner.invoke(args=["plans", "import-projects", "P1", str(bad)])
    assert result.exit_code != 0
    assert "line 2 [theme]" in result.output
