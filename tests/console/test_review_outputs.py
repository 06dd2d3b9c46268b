"""`${name}` in a label, as the submission page shows it: the interview's answer (the
nearest repeat instance first), "…" in a repeat's column header, never the reference."""

from __future__ import annotations

from server.review.shown import shown_answers

DEFINITION = {
    "languages": ["es"], "default_language": "es",
    "pages": [{"id": "p", "questions": [
        {"id": "head", "type": "text", "label": {"es": "Apellido"}},
        {"id": "head_ok", "type": "select_one", "label": {"es": "¿${head} está bien?"},
         "choices": [{"value": "y", "label": {"es": "Sí"}}]},
        {"id": "members", "type": "repeat", "label": {"es": "Persona"}, "questions": [
            {"id": "name", "type": "text", "label": {"es": "Nombre (familia ${head})"}},
            {"id": "sex", "type": "select_one", "label": {"es": "Sexo de ${name}"},
             "choices": [{"value": "f", "label": {"es": "Mujer"}}]},
        ]},
    ]}],
}


def test_outputs_are_filled_from_the_answers_and_never_shown_raw(app):
    answers = {"head": "Quispe", "head_ok": "y",
               "members": [{"name": "Rosa", "sex": "f"}, {"name": "Ana"}]}
    with app.test_request_context(headers={"Accept-Language": "es-PE"}):
        page = shown_answers(DEFINITION, answers, None, "es")[0]
    assert [a.label for a in page.answers] == ["Apellido", "¿Quispe está bien?"]
    table = page.blocks[-1].repeats[0] if page.blocks[-1].repeats else next(
        b.repeats[0] for b in page.blocks if b.repeats)
    assert [c.label for c in table.columns] == ["Nombre (familia …)", "Sexo de …"]
    assert [[cell.label for cell in row.cells] for row in table.rows] == [
        ["Nombre (familia Quispe)", "Sexo de Rosa"], ["Nombre (familia Quispe)", "Sexo de Ana"]]
