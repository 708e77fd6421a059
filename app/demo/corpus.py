"""A seeded generator of varied, realistic multilingual need texts (for the sync
benchmark). Sentences are assembled from per-language parts (place, problem,
duration, consequence, request) with numbers and names of places mixed in, so
texts vary like real ones instead of repeating a few samples. No personal data.
"""

import random

LANGS = {
    "sw": {
        "place": [
            "Kisima cha kijiji",
            "Shule ya msingi",
            "Zahanati ya kata",
            "Barabara ya soko",
            "Daraja la mto",
            "Soko la mboga",
            "Kituo cha mabasi",
            "Bomba la maji",
        ],
        "problem": [
            "kimeharibika",
            "haina walimu wa kutosha",
            "haina dawa",
            "imejaa mashimo",
            "limevunjika",
            "halina taa",
            "halina vyoo",
            "linavuja",
        ],
        "time": ["tangu mwezi uliopita", "kwa wiki {n}", "tangu mvua za {m}", "kwa miaka {n}"],
        "effect": [
            "Wanawake wanatembea saa {n} kutafuta maji.",
            "Watoto hukosa masomo.",
            "Wagonjwa wanasafiri mbali.",
            "Wafanyabiashara wanapata hasara.",
            "Wazee hawawezi kufika.",
        ],
        "ask": [
            "Tunaomba serikali isaidie.",
            "Tunahitaji fundi haraka.",
            "Kamati ya maji ifuatilie.",
            "Tunaomba bajeti ya kata.",
        ],
        "months": ["Machi", "Aprili", "Mei", "Oktoba", "Novemba"],
    },
    "en": {
        "place": [
            "The borehole near the market",
            "Our primary school",
            "The health centre",
            "The road to the clinic",
            "The footbridge",
            "The community hall",
            "The water kiosk",
            "The main drainage channel",
        ],
        "problem": [
            "has been broken",
            "has no teachers for two classes",
            "runs out of medicine",
            "floods every rainy season",
            "collapsed",
            "has no lights at night",
            "is blocked with rubbish",
            "charges too much",
        ],
        "time": ["since last month", "for {n} weeks", "since the {m} rains", "for {n} years"],
        "effect": [
            "Women walk {n} hours to fetch water.",
            "Children miss lessons.",
            "Patients travel far for care.",
            "Traders lose their goods.",
            "Older people cannot reach it.",
        ],
        "ask": [
            "Please send a repair team.",
            "We need the council to act.",
            "The ward should budget for it.",
            "Please include this in the plan.",
        ],
        "months": ["March", "April", "May", "October", "November"],
    },
    "fr": {
        "place": [
            "Le forage du village",
            "L'école primaire",
            "Le centre de santé",
            "La route du marché",
            "Le pont",
            "Le marché couvert",
        ],
        "problem": [
            "est en panne",
            "manque d'enseignants",
            "n'a plus de médicaments",
            "est impraticable",
            "s'est effondré",
            "n'est pas éclairé",
        ],
        "time": ["depuis le mois dernier", "depuis {n} semaines", "depuis les pluies de {m}"],
        "effect": [
            "Les femmes marchent {n} heures pour l'eau.",
            "Les enfants manquent l'école.",
            "Les malades vont loin.",
            "Les commerçants perdent leurs produits.",
        ],
        "ask": [
            "Nous demandons une réparation.",
            "La mairie doit agir.",
            "Merci de l'inscrire au budget.",
        ],
        "months": ["mars", "avril", "mai", "octobre"],
    },
    "es": {
        "place": [
            "El pozo comunal",
            "La escuela primaria",
            "El puesto de salud",
            "El camino al mercado",
            "El puente",
            "La plaza",
        ],
        "problem": [
            "está dañado",
            "no tiene maestros suficientes",
            "no tiene medicinas",
            "se inunda",
            "se cayó",
            "no tiene alumbrado",
        ],
        "time": ["desde el mes pasado", "hace {n} semanas", "desde las lluvias de {m}"],
        "effect": [
            "Las mujeres caminan {n} horas por agua.",
            "Los niños faltan a clases.",
            "Los enfermos viajan lejos.",
            "Los comerciantes pierden ventas.",
        ],
        "ask": [
            "Pedimos una reparación.",
            "El municipio debe actuar.",
            "Incluyan esto en el presupuesto.",
        ],
        "months": ["marzo", "abril", "mayo", "octubre"],
    },
    "pt": {
        "place": [
            "O poço da comunidade",
            "A escola",
            "O posto de saúde",
            "A estrada do mercado",
            "A ponte",
        ],
        "problem": ["está quebrado", "não tem professores", "não tem remédios", "alaga", "caiu"],
        "time": ["desde o mês passado", "há {n} semanas", "desde as chuvas de {m}"],
        "effect": [
            "As mulheres andam {n} horas por água.",
            "As crianças faltam às aulas.",
            "Os doentes viajam longe.",
        ],
        "ask": ["Pedimos conserto.", "A prefeitura precisa agir."],
        "months": ["março", "abril", "maio"],
    },
    "ar": {
        "place": ["بئر القرية", "المدرسة الابتدائية", "المركز الصحي", "طريق السوق", "الجسر"],
        "problem": ["معطل", "بلا معلمين كافين", "بلا أدوية", "تغمره المياه", "انهار"],
        "time": ["منذ الشهر الماضي", "منذ {n} أسابيع", "منذ أمطار {m}"],
        "effect": [
            "تمشي النساء {n} ساعات لجلب الماء.",
            "يغيب الأطفال عن الدروس.",
            "يسافر المرضى بعيدا.",
        ],
        "ask": ["نطلب الإصلاح.", "على المجلس أن يتحرك."],
        "months": ["مارس", "أبريل", "مايو"],
    },
    "zh-Hans": {
        "place": ["村里的水井", "小学", "卫生站", "去集市的路", "河上的桥"],
        "problem": ["坏了", "缺少老师", "没有药", "一下雨就淹", "塌了"],
        "time": ["已经一个月了", "已经{n}个星期", "从{m}雨季开始"],
        "effect": ["妇女要走{n}个小时去打水。", "孩子们经常缺课。", "病人要走很远。"],
        "ask": ["请尽快派人维修。", "希望村委会处理。"],
        "months": ["三月", "四月", "五月"],
    },
    "hi": {
        "place": ["गाँव का हैंडपंप", "प्राथमिक विद्यालय", "स्वास्थ्य केंद्र", "बाज़ार की सड़क", "पुल"],
        "problem": ["खराब है", "में शिक्षक नहीं हैं", "में दवा नहीं है", "में पानी भर जाता है", "टूट गया है"],
        "time": ["पिछले महीने से", "{n} हफ़्तों से", "{m} की बारिश से"],
        "effect": ["महिलाएँ पानी के लिए {n} घंटे चलती हैं।", "बच्चे पढ़ाई नहीं कर पाते।"],
        "ask": ["कृपया मरम्मत कराएँ।", "पंचायत ध्यान दे।"],
        "months": ["मार्च", "अप्रैल", "मई"],
    },
}
WEIGHTS = {"sw": 30, "en": 20, "fr": 12, "es": 10, "pt": 6, "ar": 10, "zh-Hans": 6, "hi": 6}
CATEGORIES = [
    "water",
    "health",
    "education",
    "roads",
    "jobs",
    "food",
    "energy",
    "safety",
    "environment",
    "housing",
    "other",
]


SYLLABLES = [
    "ka",
    "ki",
    "ku",
    "ma",
    "mi",
    "mu",
    "na",
    "ni",
    "nu",
    "wa",
    "we",
    "ya",
    "ta",
    "te",
    "to",
    "la",
    "lo",
    "ri",
    "ro",
    "ga",
    "go",
    "ba",
    "be",
    "bo",
    "so",
    "sa",
]
# "In <place>, ..." and "about <n> households" per language
WHERE = {
    "sw": ("Huko {p},", "Familia {h} zinaathirika."),
    "en": ("In {p},", "About {h} households are affected."),
    "fr": ("À {p},", "Environ {h} familles sont touchées."),
    "es": ("En {p},", "Unas {h} familias están afectadas."),
    "pt": ("Em {p},", "Cerca de {h} famílias são afetadas."),
    "ar": ("في {p}،", "تتأثر حوالي {h} أسرة."),
    "zh-Hans": ("在{p}，", "大约{h}户受影响。"),
    "hi": ("{p} में,", "लगभग {h} परिवार प्रभावित हैं।"),
}


def place_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def need_text(rng: random.Random, lang: str) -> str:
    parts = LANGS[lang]
    fill = {"n": rng.randint(2, 12), "m": rng.choice(parts["months"])}
    where, households = WHERE[lang]
    opening = f"{rng.choice(parts['place'])} {rng.choice(parts['problem'])} " + (
        f"{rng.choice(parts['time']).format(**fill)}."
    ).replace("..", ".")
    if rng.random() < 0.6:
        opening = where.format(p=place_name(rng)) + " " + opening[0].lower() + opening[1:]
    sentence = [opening]
    if rng.random() < 0.5:
        sentence.append(households.format(h=rng.randint(3, 400)))
    for _ in range(rng.randint(1, 3)):
        sentence.append(rng.choice(parts["effect"]).format(**fill))
    if rng.random() < 0.7:
        sentence.append(rng.choice(parts["ask"]))
    sep = "" if lang == "zh-Hans" else " "
    return sep.join(sentence)


def needs(n: int, seed: int = 20261124) -> list[dict]:
    """N need bodies in the shape of POST /api/v1/needs (without uuid and locality)."""
    rng = random.Random(seed)
    langs = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    out = []
    for _ in range(n):
        lang = rng.choices(langs, weights)[0]
        out.append(
            {
                "text": need_text(rng, lang),
                "language": lang,
                "category": rng.choice(CATEGORIES),
                "gender": rng.choice(["female", "male", "other", "undisclosed"]),
                "age_band": rng.choice(["15-24", "25-34", "35-44", "45-54", "55-64", "65+"]),
                "groups": rng.choice([[], [], [], ["displaced"], ["disability"], ["low-income"]]),
                "channel": rng.choice(["meeting", "facilitator", "paper", "sms"]),
                "supporters": rng.choice([1, 1, 1, 2, 3, 5, 12]),
                "captured_at": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T10:00:00",
            }
        )
    return out
