"""Sample resident feedback for the Cajamarca demo, sent through the real ingest path like a
phone's, then partly reviewed and answered by the Cajamarca coordinator (real review
services, audited), so the console and the portal show answered shares and answer times."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from ..api.auth import Client
from ..extensions import db
from ..plans.services import get_plan
from ..submissions.ingest import ingest
from ..submissions.models import Submission
from ..surveys.services import get_survey
from ..users.models import User
from .cajamarca import COORDINATOR_EMAIL, FEEDBACK, PLAN
from .sample_reviews import review_samples

# how residents rate each project on average (1-5): late works rate lower
MOOD = {"CAJ-RIE-002": 2.0, "CAJ-VIA-004": 2.2, "CAJ-AGU-001": 2.6, "CAJ-AMB-013": 2.0,
        "CAJ-VIA-005": 2.4, "CAJ-SAL-009": 4.0, "CAJ-ANE-008": 4.1, "CAJ-COS-003": 4.2,
        "CAJ-LEC-006": 3.4}
CAPITALS = ["060101", "060801", "060401", "060601", "060301"]  # Cajamarca, Jaén, Chota, …
COMMENTS = {
    "water": [
        ("es", "El agua del caserío llega turbia desde que empezaron los trabajos."),
        ("es", "Las qochas ya se llenaron; ahora hay pasto para el ganado en la seca."),
        ("es", "Nadie nos dice cuándo vuelven a trabajar en el canal."),
        ("qu", "Yakuqa qunchullam chayamun, manam upyayta atiykuchu."),
        ("qu", "Quchakunaqa hunt'asqañam, uywakunapaq q'achu kanña."),
    ],
    "roads": [
        ("es", "Con las lluvias la trocha se corta y no podemos sacar la leche."),
        ("es", "El puente sigue sin empezar; cruzamos el río a pie."),
        ("qu", "Para chayamuptinqa ñanqa p'itikunmi, manam lichita apayta atiykuchu."),
        ("qu", "Ñanqa allinñam, kunanqa utqaylla qhatuman chayayku."),
    ],
    "agriculture": [
        ("es", "El centro de acopio paga la leche muy tarde."),
        ("es", "Nos dieron plantones de café, pero falta asistencia técnica."),
        ("qu", "Lichi huñuna wasiqa unayta pagawanku."),
        ("qu", "Kafi chakraykuqa musuqyachisqañam, añay."),
    ],
    "health": [
        ("es", "En la posta ya miden la hemoglobina de los niños cada mes."),
        ("es", "Faltan medicinas en el centro de salud los fines de semana."),
        ("qu", "Pustapiqa wawaykup hemoglobinanta sapa killa tupunkuñam."),
        ("qu", "Hampina wasipiqa manam hampikuna kanchu."),
    ],
    "education": [
        ("es", "Las tabletas llegaron, pero la escuela no tiene internet."),
        ("es", "El techo de la escuela sigue roto."),
        ("qu", "Iskuylapiqa manaraqmi internet kanchu."),
        ("qu", "Musuq iskuylaqa allinmi, wawakunaqa kusisqam yachakunku."),
    ],
    "environment": [
        ("es", "Queremos ver los resultados del monitoreo del agua del río."),
        ("es", "Desde que llegó la mina el agua del puquio ha bajado."),
        ("qu", "Mayup yakunqa ch'ichichasqam rikhurin, ¿pitaq qhawanqa?"),
        ("qu", "Sach'a tarpuyqa manaraqmi qallarinchu."),
    ],
}
REPLIES = [
    {"es": "Gracias por contarnos. Lo llevamos a la mesa de seguimiento del proyecto y "
           "publicamos la respuesta en su página.",
     "qu": "Añaychayki willawasqaykimanta. Pruyiktup qhawapay huñunakuyninman apaspa, "
           "kutichiyta p'anqanpi churarqayku."},
    {"es": "Pedimos información a la entidad responsable. En la página del proyecto te "
           "contamos lo que respondió.",
     "qu": "Pruyiktup kamachiqninkunata willakuyta mañakurqayku. Ima kutichisqankutam "
           "pruyiktup p'anqanpi willaykiku."},
    {"es": "Gracias. Este mes un equipo visitará tu caserío para verlo en el lugar.",
     "qu": "Añaychayki. Kay killapim llamk'aqkuna uchuy llaqtaykiman rinqaku, chaypi "
           "qhawanankupaq."},
]


def load_cajamarca_samples(count: int = 80, seed: int = 2026) -> int:
    """Store `count` resident feedback items unless the Cajamarca form has some already."""
    survey = get_survey(FEEDBACK)
    plan = get_plan(PLAN)
    if survey is None or plan is None or db.session.scalar(
            select(func.count()).select_from(Submission).where(
                Submission.survey_id == survey.id)):
        return 0
    rng = random.Random(f"cajamarca-{seed}")
    projects = {p.code: (p.theme.code, [d.ubigeo for d in p.districts]) for p in plan.projects}
    districts = sorted({d for _theme, ds in projects.values() for d in ds} | set(CAPITALS))
    now = datetime.now(UTC)
    items = [_feedback(rng, now - timedelta(days=rng.uniform(0, 60)), projects, districts,
                       [t.code for t in plan.themes]) for _ in range(count)]
    outcomes = ingest(Client("public", survey=survey), items, "es")
    stored = [item for item, outcome in zip(items, outcomes, strict=True)
              if outcome.outcome == "stored"]
    arrivals = {}
    for item in stored:
        done = datetime.fromisoformat(item["meta"]["completed_at"])
        arrivals[item["uuid"]] = min(now, done + timedelta(hours=rng.uniform(0, 30)))
        db.session.execute(update(Submission).where(
            Submission.uuid == uuid.UUID(item["uuid"])).values(
                received_at=arrivals[item["uuid"]]))
    db.session.commit()
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR_EMAIL))
    review_samples(rng, arrivals, now, coordinator, REPLIES)
    return len(stored)


def _feedback(rng: random.Random, when: datetime, projects: dict[str, tuple[str, list[str]]],
              districts: list[str], themes: list[str]) -> dict[str, Any]:
    project = rng.choice([*projects, *projects, None])
    theme, where = projects[project] if project else (rng.choice(themes), districts)
    mood = MOOD.get(project, 3.2)
    answers: dict[str, Any] = {"theme": theme, "district": rng.choice(where),
                               "rating": min(5, max(1, round(rng.gauss(mood, 1.0)))),
                               "consent": "no"}
    if project:
        answers["project"] = project
    language, comment = rng.choice(COMMENTS[theme])
    if rng.random() < 0.75:
        answers["comment"] = comment
    else:
        language = rng.choice(["es", "qu"])
    return {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "survey": FEEDBACK, "version": 1, "answers": answers,
            "meta": {"language": language,
                     "started_at": (when - timedelta(minutes=5)).isoformat(),
                     "completed_at": when.isoformat(), "app_version": "demo"}}
