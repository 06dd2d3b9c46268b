"""Sample feedback and interviews for a fresh demo, so the console's lists, dashboard and
plan view have something to show. They go through the real ingest path, like a phone's."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from ..api.auth import Client
from ..devices.services import enrol_device, pair
from ..extensions import db
from ..submissions.ingest import ingest
from ..submissions.models import Submission
from ..surveys.services import get_survey
from ..users.models import User
from .cajamarca_samples import load_cajamarca_samples
from .loader import DEMO_EMAIL
from .sample_reviews import review_samples

PROJECTS = {  # project code -> (theme, districts where it runs)
    "MOQ-AGU-001": ("services", ["180204"]), "MOQ-RIE-002": ("water", ["180102"]),
    "MOQ-VIA-003": ("services", ["180201", "180203"]), "MOQ-SAL-004": ("services", ["180101"]),
    "MOQ-PES-005": ("diversification", ["180301"]), "MOQ-AGR-006": ("diversification",
                                                                      ["180105", "180106"]),
    "MOQ-HID-007": ("water", ["180206"]), "MOQ-AMB-008": ("environment", ["180303"]),
}
# the Carumas canal is where the demo's walk goes (docs/portal.md): residents there talk
# about it more than about any other project
TALKED_ABOUT = ["MOQ-RIE-002"] * 4
COMMENTS = [
    ("es", "El agua llega solo dos horas al día."),
    ("es", "La obra está parada desde julio, nadie nos explica por qué."),
    ("es", "Ya terminaron el canal, ahora riega bien la chacra."),
    ("es", "La posta no tiene médico los fines de semana."),
    ("es", "En época de lluvia la carretera se corta y no podemos sacar los productos."),
    ("es", "Buena obra, pero falta capacitación para usarla."),
    ("qu", "Yakuqa manam sapa p'unchaw chayamunchu."),
    ("qu", "Ñanqa allinña kachkan, añay."),
    ("qu", "Llamk'ayqa sayachisqam kachkan, manam pipas willawankuchu."),
    ("qu", "Qarpana yarqaqa allintam qarpachkan."),
    ("qu", "Pustapiqa manam hampiq kanchu."),
]
REPLIES = [
    {"es": "Gracias por escribirnos. Lo consultamos con el Gobierno Regional; en la página del "
           "proyecto te contamos qué respondió.",
     "qu": "Añaychayki qillqamuwasqaykimanta. Gobierno Regionaltam tapurqayku; ima "
           "kutichisqantam pruyiktup p'anqanpi willaykiku."},
    {"es": "Gracias. Lo revisamos con la comisión de usuarios de riego en la próxima asamblea.",
     "qu": "Añaychayki. Qatiq huñunakuypim qarpaqkunap huñunakuyninwan qhawasaqku."},
    {"es": "Recibimos tu opinión y la enviamos a la entidad responsable de la obra.",
     "qu": "Yuyayniykitam chaskirqayku, llamk'aypa kamachiqninmanmi apachirqayku."},
]


def load_samples(count: int = 120, seed: int = 2026) -> int:
    """Store `count` sample submissions (two thirds resident feedback) unless some exist."""
    if db.session.scalar(select(func.count()).select_from(Submission)):
        return load_cajamarca_samples(seed=seed)  # a region added to an older demo
    rng = random.Random(seed)
    feedback = get_survey("moq-feedback")
    public = Client("public", survey=feedback)
    enrolment = enrol_device("Celular de Rosa (demo)", "Rosa Quispe")
    device, _token = pair(enrolment.code)
    promoter = Client("device", device=device)
    now = datetime.now(UTC)
    items: list[tuple[Client, dict[str, Any]]] = []
    for n in range(count):
        when = now - timedelta(days=rng.uniform(0, 60))
        if n % 3:
            items.append((public, _feedback(rng, when)))
        else:
            items.append((promoter, _household(rng, when)))
    stored = 0
    feedback_arrivals: dict[str, datetime] = {}
    for client, item in items:
        [outcome] = ingest(client, [item], "es")
        if outcome.outcome == "stored":
            stored += 1
            # spread the arrivals over the two months, as if they came in day by day
            received = min(now, datetime.fromisoformat(item["meta"]["completed_at"])
                           + timedelta(hours=rng.uniform(0, 30)))
            db.session.execute(update(Submission).where(Submission.uuid == uuid.UUID(
                item["uuid"])).values(received_at=received))
            if client is public:
                feedback_arrivals[item["uuid"]] = received
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
    review_samples(rng, feedback_arrivals, now, admin, REPLIES)
    return stored + load_cajamarca_samples(seed=seed)


def _times(when: datetime, minutes: int) -> dict[str, str]:
    return {"started_at": (when - timedelta(minutes=minutes)).isoformat(),
            "completed_at": when.isoformat()}


def _feedback(rng: random.Random, when: datetime) -> dict[str, Any]:
    project = rng.choice([*PROJECTS, *TALKED_ABOUT, None])
    theme, districts = PROJECTS[project] if project else (
        rng.choice(["services", "diversification", "water", "environment"]), ["180101"])
    language, comment = rng.choice(COMMENTS)
    answers: dict[str, Any] = {"theme": theme, "district": rng.choice(districts),
                               "rating": rng.choices([1, 2, 3, 4, 5], [2, 3, 3, 3, 2])[0],
                               "consent": "no"}
    if project:
        answers["project"] = project
    if rng.random() < 0.7:
        answers["comment"] = comment
    return {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "survey": "moq-feedback", "version": 1, "answers": answers,
            "meta": {"language": language, **_times(when, 4), "app_version": "demo"}}


def _household(rng: random.Random, when: datetime) -> dict[str, Any]:
    knows = rng.choice(["yes", "heard", "no"])
    daily = rng.choice(["yes", "no", "sometimes"])
    answers: dict[str, Any] = {
        "district": rng.choice(["180101", "180102", "180105", "180201", "180204", "180301"]),
        "community": rng.choice(["Anexo Yacango", "Comunidad Titire", "Centro poblado Chen Chen",
                                 "Anexo Sijuaya", "Comunidad Ichuña"]),
        "household_size": rng.randint(1, 9),
        "water_source": rng.choice(["network_home", "standpipe", "spring", "river", "truck"]),
        "water_daily": daily, "water_problems": rng.choice([["none"], ["tank"],
                                                            ["pipe", "dirty"]]),
        "knows_projects": knows, "rainy_road": rng.choice(["good", "difficult", "cut_off"]),
        "health_minutes": rng.randint(5, 240),
        "activities": rng.sample(["agriculture", "livestock", "alpaca", "commerce"], 2),
        "consent": "no",
    }
    if daily != "yes":
        answers["water_hours"] = rng.randint(1, 12)
    if knows == "yes":
        answers["project"] = rng.choice(list(PROJECTS))
        answers["project_rating"] = rng.randint(1, 5)
    location = {"lat": -17.19 + rng.uniform(-0.3, 0.3), "lon": -70.93 + rng.uniform(-0.3, 0.3),
                "accuracy": rng.uniform(5, 40)}
    return {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "survey": "moq-household", "version": 1, "answers": answers,
            "meta": {"language": rng.choice(["es", "qu"]), **_times(when, 20),
                     "location": location, "consent": True, "app_version": "demo"},
            "attachments": []}
