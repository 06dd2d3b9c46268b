"""The audit log page: newest first, filters, keyset pages that neither skip nor repeat,
readable details, and clear messages for bad filters."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from server.audit.models import AuditEvent
from server.extensions import db

ROW = re.compile(r'<time datetime="[^"]+">[^<]+</time></td>\s*<td>([^<]*)')
NEXT = re.compile(r'href="([^"]+)" rel="next"')


def _add(app, rows: list[dict]) -> None:
    with app.app_context():
        db.session.execute(insert(AuditEvent), rows)
        db.session.commit()


def _clear(app) -> None:
    with app.app_context():
        db.session.execute(AuditEvent.__table__.delete())
        db.session.commit()


def _actors(page: str) -> list[str]:
    return ROW.findall(page)


def _walk(admin, url: str) -> list[str]:
    seen, pages = [], 0
    while url:
        page = admin.get(url.replace("&amp;", "&")).get_data(as_text=True)
        seen += _actors(page)
        found = NEXT.search(page)
        url = found.group(1) if found else None
        pages += 1
        assert pages < 50
    return seen


@pytest.fixture
def admin(app, console_as):
    client = console_as("admin")
    _clear(app)  # the fixture's sign-ins and account creations
    return client


def test_newest_first_with_readable_details(app, admin):
    t0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    _add(app, [
        {"at": t0, "actor": "ana@example.org", "action": "user_update", "target": "x@y.pe",
         "details": {"changes": {"role": ["viewer", "coordinator"], "active": [True, False]}}},
        {"at": t0 + timedelta(minutes=5), "actor": "cli", "action": "device_revoke",
         "target": "device 7", "details": {"label": "Celular 7", "promoter": "Rosa"}},
    ])
    page = admin.get("/console/audit").get_data(as_text=True)
    assert _actors(page) == ["cli", "ana@example.org"]
    assert "Celular revocado" in page and "Cuenta modificada" in page
    assert "<dt>Rol</dt><dd>Observador → Coordinador</dd>" in page
    assert "<dt>Activa</dt><dd>sí → no</dd>" in page
    assert "20/11/2026 10:05" in page  # Peru time (UTC-5)


def test_filters_by_action_actor_and_peruvian_days(app, admin):
    base = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)
    _add(app, [
        {"at": base, "actor": "ana@example.org", "action": "sign_in"},
        {"at": base + timedelta(hours=1), "actor": "ana@example.org", "action": "export"},
        {"at": base + timedelta(hours=2), "actor": "juan@example.org", "action": "sign_in"},
        # 03:00 UTC on the 20th is still the 19th in Peru
        {"at": datetime(2026, 11, 20, 3, 0, tzinfo=UTC), "actor": "late@example.org",
         "action": "sign_in"},
        {"at": datetime(2026, 11, 20, 6, 0, tzinfo=UTC), "actor": "next@example.org",
         "action": "sign_in"},
    ])

    def actors(query: str) -> list[str]:
        response = admin.get(f"/console/audit?{query}")
        assert response.status_code == 200
        return _actors(response.get_data(as_text=True))

    assert actors("action=export") == ["ana@example.org"]
    assert actors("actor=JUAN") == ["juan@example.org"]
    assert actors("actor=ana&action=sign_in") == ["ana@example.org"]
    assert actors("until=2026-11-19") == ["late@example.org", "juan@example.org",
                                          "ana@example.org", "ana@example.org"]
    assert actors("since=2026-11-20") == ["next@example.org"]
    assert actors("since=2026-11-19&until=2026-11-19&actor=late") == ["late@example.org"]
    assert actors("actor=%25") == []  # a LIKE wildcard is taken literally
    empty = admin.get("/console/audit?action=survey_publish").get_data(as_text=True)
    assert "No hay nada registrado con estos filtros." in empty


@pytest.mark.parametrize(("query", "message"), [
    ("since=yesterday", "Desde: Escribe una fecha."),
    ("since=2026-11-20&until=2026-11-01",
     "Hasta: La fecha de inicio es posterior a la fecha final."),
    ("before=abc", "Página: Escribe un número entero."),
])
def test_bad_filters_get_a_message_not_an_error(admin, query, message):
    response = admin.get(f"/console/audit?{query}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_keyset_pages_neither_skip_nor_repeat_even_with_equal_times(app, admin):
    same = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    rows = [{"at": same if i % 3 else same - timedelta(seconds=i), "actor": f"u{i:03d}",
             "action": "sign_in" if i % 2 else "export"} for i in range(130)]
    _add(app, rows)
    seen = _walk(admin, "/console/audit")
    assert len(seen) == 130 and len(set(seen)) == 130
    exports = _walk(admin, "/console/audit?action=export")
    assert sorted(exports) == sorted(f"u{i:03d}" for i in range(0, 130, 2))
    first = admin.get("/console/audit").get_data(as_text=True)
    assert len(_actors(first)) == 50
    older = NEXT.search(first).group(1).replace("&amp;", "&")
    second = admin.get(older).get_data(as_text=True)
    assert "Más recientes" in second


def test_a_deep_page_uses_the_time_index_not_a_scan(app):
    """EXPLAIN on SQLite: the keyset query walks ix_audit_events_at; no OFFSET anywhere."""
    from server.audit.queries import filtered, page

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("plan text is SQLite's")
        statements = []
        from sqlalchemy import event

        @event.listens_for(db.engine, "before_cursor_execute")
        def _capture(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))

        _add(app, [{"at": datetime(2026, 11, 20, tzinfo=UTC) + timedelta(seconds=i),
                    "actor": "a", "action": "sign_in"} for i in range(200)])
        result = page(filtered(), before=150)
        assert len(result.events) == 50 and result.events[0].id < 150
        event.remove(db.engine, "before_cursor_execute", _capture)
        sql, params = statements[-1]
        # SQLite's dialect always writes "LIMIT ? OFFSET ?": the offset must be 0
        assert "OFFSET" not in sql.upper() or params[-1] == 0
        plan = " ".join(str(r) for r in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sql, params))
        assert "ix_audit_events_at" in plan or "ix_audit_events_action_at" in plan, plan


def test_sign_ins_and_failures_show_up(app, console_as, users):
    admin = console_as("admin")
    console_as(None).post("/console/sign-in", {"email": "Nobody@Example.org",
                                               "password": "wrong-password"})
    page = admin.get("/console/audit?action=sign_in_failed").get_data(as_text=True)
    assert _actors(page) == ["nobody@example.org"]
    assert "Inicio de sesión fallido" in page
    signed = admin.get("/console/audit?action=sign_in").get_data(as_text=True)
    assert users["admin"] in _actors(signed)
