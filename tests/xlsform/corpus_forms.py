"""The one-feature forms of the XLSForm corpus (tests/xlsform/corpus.py): each a dict of
sheets (lists of rows, headers first), in Spanish and Southern Quechua."""

from __future__ import annotations

from corpus_files import DISTRICTS, PROVINCES

ES, QU = "label::Español (es)", "label::Quechua (qu)"
HES, HQU = "hint::Español (es)", "hint::Quechua (qu)"


def _settings(form_id: str, es: str, qu: str, **more: str) -> list[list[str]]:
    headers = ["form_title", "form_title::Quechua (qu)", "form_id", "version",
               "default_language", *more]
    return [headers, [es, qu, form_id, "2026120101", "Español (es)", *more.values()]]


YES_NO = [["yn", "yes", "Sí", "Arí"], ["yn", "no", "No", "Manam"]]
CHOICES_HEAD = ["list_name", "name", ES, QU]


def basic() -> dict:
    """Groups as pages, skip logic, constraints, capitals in names, hints."""
    survey = [
        ["type", "name", ES, QU, HES, HQU, "required", "relevant", "constraint",
         "constraint_message::Español (es)", "constraint_message::Quechua (qu)"],
        ["select_one yn", "Consent", "¿Aceptas responder?", "¿Kutichiyta munankichu?", "",
         "", "yes"],
        ["begin group", "HH", "Hogar", "Wasi", "", "", "", "${Consent} = 'yes'"],
        ["text", "HH_name", "Apellido de la familia", "Ayllup sutin", "", "", "yes"],
        ["integer", "HH01", "¿Cuántas personas viven aquí?", "¿Hayk'a runam kaypi tiyanku?",
         "Cuenta a los niños", "Wawakunatapas yupay", "yes", "", ". >= 1 and . <= 30",
         "Entre 1 y 30", "1-manta 30-kama"],
        ["select_multiple water", "Water", "¿De dónde viene el agua?", "¿Maymantam yaku hamun?"],
        ["text", "water_other", "¿Qué otra fuente?", "¿Ima huk pukyu?", "", "", "",
         "selected(${Water}, 'other')"],
        ["end group"],
        ["note", "thanks", "Gracias por tu tiempo", "Añaychayki"],
    ]
    choices = [CHOICES_HEAD, *YES_NO,
               ["water", "network", "Red pública", "Llaqta yaku"],
               ["water", "river", "Río o acequia", "Mayu utaq yarqa"],
               ["water", "other", "Otra", "Huk"]]
    return {"survey": survey, "choices": choices,
            "settings": _settings("basico", "Encuesta básica", "Huch'uy tapukuy")}


def repeats() -> dict:
    """A roster with repeat_count from an answer, a nested user-driven repeat (children)
    and inside it another (vaccines): repeats three levels deep; position(..),
    indexed-repeat(), count(), sum() across instances."""
    survey = [
        ["type", "name", ES, QU, "repeat_count", "relevant", "calculation", "required",
         "constraint"],
        ["integer", "n_members", "¿Cuántas personas hay en el hogar?",
         "¿Hayk'a runam wasipi kanku?", "", "", "", "yes", ". >= 1 and . <= 20"],
        ["begin repeat", "members", "Persona", "Runa", "${n_members}"],
        ["calculate", "m_pos", "", "", "", "", "position(..)"],
        ["text", "m_name", "Nombre de la persona ${m_pos}", "${m_pos} runap sutin", "", "",
         "", "yes"],
        ["integer", "m_age", "Edad de ${m_name}", "${m_name}-pa watan", "", "", "", "yes",
         ". >= 0 and . <= 120"],
        ["select_one yn", "m_has_children", "¿Tiene hijos?", "¿Wawayuqchu?", "", "",
         "", "yes"],
        ["begin repeat", "children", "Hijo o hija", "Wawa", "",
         "${m_has_children} = 'yes'"],
        ["text", "c_name", "Nombre", "Suti"],
        ["integer", "c_age", "Edad", "Wata", "", "", "", "", ". >= 0 and . < ${m_age}"],
        ["begin repeat", "vaccines", "Vacuna", "Vakuna"],
        ["select_one vaccine", "v_kind", "¿Qué vacuna?", "¿Ima vakuna?"],
        ["date", "v_date", "Fecha", "P'unchaw"],
        ["end repeat"],
        ["calculate", "c_vaccines", "", "", "", "", "count(${v_kind})"],
        ["end repeat"],
        ["end repeat"],
        ["calculate", "total_age", "", "", "", "", "sum(${m_age})"],
        ["calculate", "first_name", "", "", "", "",
         "indexed-repeat(${m_name}, ${members}, 1)"],
        ["calculate", "n_children", "", "", "", "", "count(${c_name})"],
        ["note", "summary", "Primera persona: ${first_name}; niños: ${n_children}",
         "Ñawpaq runa: ${first_name}; wawakuna: ${n_children}"],
    ]
    choices = [CHOICES_HEAD, *YES_NO,
               ["vaccine", "bcg", "BCG", "BCG"], ["vaccine", "polio", "Polio", "Polio"],
               ["vaccine", "measles", "Sarampión", "Sarampión"]]
    return {"survey": survey, "choices": choices,
            "settings": _settings("repeticiones", "Lista de personas", "Runakunap sutin")}


def calculates() -> dict:
    """Calculations with the functions real forms use; a computed age; hidden; output
    of calculated values in labels."""
    survey = [
        ["type", "name", ES, QU, "calculation", "relevant", "constraint", "default"],
        ["text", "first", "Nombre", "Suti"],
        ["text", "last", "Apellido", "Ayllu suti"],
        ["calculate", "full_name", "", "", "concat(${first}, ' ', ${last})"],
        ["date", "born", "Fecha de nacimiento", "Paqarisqa p'unchaw", "", "",
         ". <= today()"],
        ["calculate", "age", "", "", "int((today() - ${born}) div 365.25)"],
        ["calculate", "adult", "", "", "if(${age} >= 18, 'yes', 'no')"],
        ["decimal", "weight", "Peso (kg)", "Llasaynin (kg)", "", "", ". > 0 and . < 300"],
        ["decimal", "height", "Talla (m)", "Sayaynin (m)", "", "", ". > 0.3 and . < 2.5"],
        ["calculate", "bmi", "", "", "round(${weight} div (${height} * ${height}), 1)"],
        ["select_multiple crops", "crops", "¿Qué siembras?", "¿Imatam tarpunki?"],
        ["calculate", "first_crop", "", "", "selected-at(${crops}, 0)"],
        ["calculate", "first_crop_label", "", "",
         "jr:choice-name(selected-at(${crops}, 0), '${crops}')"],
        ["calculate", "n_crops", "", "", "count-selected(${crops})"],
        ["calculate", "nickname", "", "", "coalesce(${first}, 'sin nombre')"],
        ["calculate", "born_text", "", "", "format-date(${born}, '%d/%m/%Y')"],
        ["calculate", "started", "", "", "once(now())"],
        ["calculate", "days", "", "", "decimal-date-time(today()) - decimal-date-time(${born})"],
        ["calculate", "flag", "", "", "boolean-from-string('true')"],
        ["calculate", "name_length", "", "", "string-length(${full_name})"],
        ["hidden", "source", "", "", "", "", "", "promotor"],
        ["note", "result", "${full_name}: ${age} años, IMC ${bmi}, ${first_crop_label}",
         "${full_name}: ${age} watayuq, IMC ${bmi}, ${first_crop_label}", "",
         "${born} != ''"],
    ]
    choices = [CHOICES_HEAD, ["crops", "potato", "Papa", "Papa"],
               ["crops", "maize", "Maíz", "Sara"], ["crops", "quinoa", "Quinua", "Kinwa"]]
    return {"survey": survey, "choices": choices,
            "settings": _settings("calculos", "Cálculos", "Yupaykuna")}


def cascade() -> dict:
    """Province → district, narrowed with choice_filter on a choice column."""
    survey = [
        ["type", "name", ES, QU, "choice_filter", "required", "appearance"],
        ["select_one province", "province", "Provincia", "Pruwinsya", "", "yes"],
        ["select_one district", "district", "Distrito", "Distritu", "province=${province}",
         "yes", "minimal"],
        ["select_one district", "district_any", "Otro distrito (de otra provincia)",
         "Huk distritu (huk pruwinsyamanta)", "province != ${province}", "", "search"],
    ]
    choices = [["list_name", "name", ES, QU, "province"]]
    choices += [["province", code, name, name, ""] for code, name in PROVINCES]
    choices += [["district", code, name, name, prov] for code, name, prov in DISTRICTS]
    return {"survey": survey, "choices": choices,
            "settings": _settings("cascada", "Provincia y distrito", "Pruwinsya distritupas")}


def from_file() -> dict:
    """select_one_from_file with a CSV list narrowed by district, and
    select_multiple_from_file with parameters naming its value and label columns."""
    survey = [
        ["type", "name", ES, QU, "choice_filter", "parameters", "appearance"],
        ["select_one district", "district", "Distrito", "Distritu"],
        ["select_one_from_file villages.csv", "village", "Centro poblado", "Llaqta",
         "district=${district}", "", "autocomplete"],
        ["select_multiple_from_file crops.csv", "crops", "Cultivos", "Tarpuykuna", "",
         "value=code label=crop_name"],
    ]
    choices = [CHOICES_HEAD] + [["district", code, name, name] for code, name, _p in DISTRICTS]
    return {"survey": survey, "choices": choices,
            "settings": _settings("desde_archivo", "Centros poblados", "Llaqtakuna")}


def media() -> dict:
    """Audio prompts per language on questions and choices, an image on a question and on
    choices (columns with and without language)."""
    survey = [
        ["type", "name", ES, QU, "media::audio::Español (es)", "media::audio::Quechua (qu)",
         "media::image::Español (es)", "image"],
        ["select_one water", "water", "¿De dónde tomas agua?", "¿Maymantam yakuta upinki?",
         "water_es.wav", "water_qu.wav",
         "", "water.png"],
        ["integer", "people", "¿Cuántas personas?", "¿Hayk'a runa?", "people_es.wav",
         "people_qu.wav", "people_es.png"],
        ["text", "comment", "Comentario", "Rimay"],
    ]
    choices = [["list_name", "name", ES, QU, "media::audio::Quechua (qu)", "media::image"],
               ["water", "network", "Red pública", "Llaqta yaku", "network_qu.wav",
                "network.png"],
               ["water", "river", "Río", "Mayu", "river_qu.wav", "river.png"]]
    return {"survey": survey, "choices": choices,
            "settings": _settings("medios", "Preguntas con audio", "Uyarina tapukuykuna")}


def or_other() -> dict:
    """`or_other` on select_one and select_multiple (the form is in one language, as
    pyxform recommends for or_other)."""
    survey = [["type", "name", "label", "required"],
              ["select_one fuel or_other", "fuel", "¿Con qué cocinas?", "yes"],
              ["select_multiple animals or_other", "animals", "¿Qué animales crías?"]]
    choices = [["list_name", "name", "label"],
               ["fuel", "gas", "Gas"], ["fuel", "wood", "Leña"], ["fuel", "dung", "Bosta"],
               ["animals", "alpaca", "Alpaca"], ["animals", "sheep", "Oveja"],
               ["animals", "guinea_pig", "Cuy"]]
    settings = [["form_title", "form_id", "default_language"],
                ["Cocina y animales", "otro", "Español (es)"]]
    return {"survey": survey, "choices": choices, "settings": settings}


def types() -> dict:
    """Every question type Willay carries, metadata included."""
    survey = [
        ["type", "name", ES, QU, "parameters", "appearance", "default", "calculation"],
        ["start", "start"], ["end", "end"], ["today", "today"], ["deviceid", "deviceid"],
        ["username", "username"], ["phonenumber", "phonenumber"], ["audit", "audit"],
        ["text", "t_text", "Texto", "Qillqa", "", "multiline"],
        ["integer", "t_integer", "Entero", "Yupay"],
        ["decimal", "t_decimal", "Decimal", "Decimal yupay"],
        ["range", "t_range", "Del 0 al 10", "0-manta 10-kama", "start=0 end=10 step=2"],
        ["select_one yn", "t_one", "Uno", "Huk"],
        ["select_multiple yn", "t_many", "Varios", "Achka"],
        ["date", "t_date", "Fecha", "P'unchaw"],
        ["time", "t_time", "Hora", "Pacha"],
        ["dateTime", "t_datetime", "Fecha y hora", "P'unchaw pachapas"],
        ["geopoint", "t_geopoint", "Ubicación", "Maypi"],
        ["image", "t_photo", "Foto", "Futu"],
        ["audio", "t_audio", "Audio", "Grabasqa rimay"],
        ["video", "t_video", "Video", "Widyu"],
        ["file", "t_file", "Documento", "Willañiqi"],
        ["barcode", "t_barcode", "Código de barras", "Barras chiqan"],
        ["acknowledge", "t_ack", "Confirmo que leí el consentimiento",
         "Ari nini, uyarirqanim"],
        ["note", "t_note", "Una nota", "Huk willakuy"],
        ["calculate", "t_calc", "", "", "", "", "", "string-length(${t_text})"],
        ["hidden", "t_hidden", "", "", "", "", "v1"],
        ["rating", "t_rating", "¿Cómo calificas el servicio?", "¿Imaynam kay llamk'ay?"],
        ["place", "t_place", "Distrito", "Distritu"],
    ]
    choices = [CHOICES_HEAD, *YES_NO]
    return {"survey": survey, "choices": choices,
            "settings": _settings("tipos", "Todos los tipos", "Tukuy laya")}


def appearances() -> dict:
    survey = [["type", "name", ES, QU, "appearance"],
              ["begin group", "together", "Todo junto", "Tukuy kuska", "field-list"],
              ["select_one yn", "a_minimal", "Mínimo", "Pisi", "minimal"],
              ["select_one yn", "a_quick", "Rápido", "Utqay", "quick"],
              ["select_one scale", "a_likert", "Escala", "Tupuna", "likert"],
              ["select_one scale", "a_horizontal", "Horizontal", "Siriq", "horizontal"],
              ["select_multiple scale", "a_compact", "Compacto", "Huñusqa",
               "horizontal-compact"],
              ["select_one scale", "a_columns", "Columnas", "Sayaq", "columns-3"],
              ["end group"],
              ["text", "a_multiline", "Varias líneas", "Achka siq'i", "multiline"],
              ["date", "a_nocal", "Sin calendario", "Mana kalindaryuyuq", "no-calendar"],
              ["text", "a_numbers", "Solo números", "Yupaykunalla", "numbers"],
              ["select_one scale", "a_search", "Buscar", "Maskay", "search"],
              ["select_one scale", "a_auto", "Autocompletar", "Kikillan hunt'achiq",
               "autocomplete"]]
    choices = [CHOICES_HEAD, *YES_NO] + [
        ["scale", str(n), f"Nivel {n}", f"{n} kaq"] for n in range(1, 6)]
    return {"survey": survey, "choices": choices,
            "settings": _settings("apariencias", "Apariencias", "Rikch'aykuna")}


def instance_name() -> dict:
    survey = [["type", "name", ES, QU],
              ["text", "HH_name", "Apellido", "Ayllu suti"],
              ["select_one district", "village", "Distrito", "Distritu"]]
    choices = [CHOICES_HEAD] + [["district", code, name, name] for code, name, _p in DISTRICTS]
    return {"survey": survey, "choices": choices, "settings": _settings(
        "nombre_entrevista", "Entrevistas con nombre", "Sutiyuq tapukuykuna",
        instance_name="concat(${HH_name}, ' — ', jr:choice-name(${village}, '${village}'))")}


def defaults() -> dict:
    """Literal defaults, read_only (yes and an expression), required as an expression,
    required_message, a constraint without a message."""
    survey = [
        ["type", "name", ES, QU, "default", "read_only", "required",
         "required_message::Español (es)", "required_message::Quechua (qu)", "constraint",
         "calculation"],
        ["integer", "visits", "Número de visitas", "Hayk'a kutitam watukunki", "1", "", "yes",
         "Escribe el número de visitas", "Hayk'a kutitam qillqay"],
        ["select_one yn", "has_phone", "¿Tienes celular?", "¿Celularniyuqchu kanki?", "no"],
        ["text", "phone", "Número de celular", "Celular yupay", "", "", "${has_phone} = 'yes'",
         "Falta el número", "Yupay pisinmi", "regex(., '^9[0-9]{8}$')"],
        ["date", "visit_date", "Fecha de visita", "Watukuy p'unchaw", "2026-01-01"],
        ["text", "promoter", "Promotor", "Promotor", "", "yes", "", "", "", "",
         "'Equipo Moquegua'"],
        ["decimal", "fee", "Cuota", "Qullqi", "", "${has_phone} = 'no'", "", "", "", "",
         "10.5"],
    ]
    choices = [CHOICES_HEAD, *YES_NO]
    return {"survey": survey, "choices": choices,
            "settings": _settings("valores", "Valores por defecto", "Ñawpaqmanta kutichiykuna")}


def trigger() -> dict:
    survey = [["type", "name", ES, QU, "calculation", "trigger"],
              ["integer", "price", "Precio", "Chanin"],
              ["dateTime", "price_changed", "Cambio de precio", "Chanin tikrasqa", "now()",
               "${price}"],
              ["decimal", "price_usd", "Precio en dólares", "Dólar chanin",
               "round(${price} div 3.7, 2)", "${price}"]]
    return {"survey": survey,
            "settings": _settings("disparador", "Precio", "Chanin")}


def languages() -> dict:
    """Four content languages under the spellings real forms use."""
    survey = [["type", "name", "label::Spanish (es)", "label::Runasimi (qu)",
               "label::English (en)", "label::Aymara (ay)", "hint::Spanish (es)",
               "hint::English (en)"],
              ["text", "name_q", "Tu nombre", "Sutiyki", "Your name", "Sutima", "Completo",
               "Full name"],
              ["select_one yn", "agree", "¿Estás de acuerdo?", "¿Arinichu?", "Do you agree?",
               "¿Walikiti?"]]
    choices = [["list_name", "name", "label::Spanish (es)", "label::Runasimi (qu)",
                "label::English (en)", "label::Aymara (ay)"],
               ["yn", "yes", "Sí", "Arí", "Yes", "Jisa"],
               ["yn", "no", "No", "Manam", "No", "Janiwa"]]
    settings = [["form_title", "form_id", "default_language", "version"],
                ["Idiomas", "idiomas", "Spanish (es)", "3"]]
    return {"survey": survey, "choices": choices, "settings": settings}
