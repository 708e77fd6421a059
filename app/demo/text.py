"""Phrases the demo node is built from: what people say, in six languages."""

PHRASES = {
    "water": {
        "sw": [
            "Kisima cha kijiji kimeharibika.",
            "Maji ya bomba hayatoki tangu wiki iliyopita.",
            "Tunahitaji tanki la kuhifadhi maji ya mvua.",
        ],
        "ar": [
            "البئر في القرية معطلة.",
            "لا يوجد ماء صالح للشرب في الحي.",
            "نحتاج إلى خزان ماء للمدرسة.",
        ],
        "zh-Hans": ["村里的水井坏了。", "自来水已经停了一个星期。", "我们需要一个储水罐。"],
        "fr": [
            "La pompe du village est en panne.",
            "Il n'y a plus d'eau potable au marché.",
            "Nous avons besoin d'une citerne pour l'école.",
        ],
        "en": [
            "The borehole pump is broken.",
            "There is no clean water near the market.",
            "We need a rainwater tank for the school.",
        ],
        "es": [
            "El pozo de la comunidad está roto.",
            "No hay agua potable cerca del mercado.",
            "Necesitamos un tanque de agua de lluvia.",
        ],
    },
    "health": {
        "sw": [
            "Zahanati iko mbali sana.",
            "Hakuna dawa za malaria kwenye kituo cha afya.",
            "Tunahitaji mkunga kijijini.",
        ],
        "ar": [
            "العيادة بعيدة جدا.",
            "لا توجد أدوية في المركز الصحي.",
            "نحتاج إلى قابلة في القرية.",
        ],
        "zh-Hans": ["诊所太远了。", "卫生站没有药品。", "村里需要一名助产士。"],
        "fr": [
            "Le centre de santé est trop loin.",
            "Il manque des médicaments contre le paludisme.",
            "Nous avons besoin d'une sage-femme.",
        ],
        "en": [
            "The clinic is too far away.",
            "The health post has no malaria medicine.",
            "We need a midwife in the village.",
        ],
        "es": [
            "La clínica está demasiado lejos.",
            "No hay medicinas en el puesto de salud.",
            "Necesitamos una partera en el barrio.",
        ],
    },
    "education": {
        "sw": [
            "Shule haina vyoo vya wasichana.",
            "Madarasa yamejaa kupita kiasi.",
            "Walimu hawatoshi shuleni.",
        ],
        "ar": ["المدرسة بلا مراحيض للبنات.", "الفصول مكتظة جدا.", "لا يوجد معلمون كافون."],
        "zh-Hans": ["学校没有女生厕所。", "教室太拥挤了。", "学校缺少老师。"],
        "fr": [
            "L'école n'a pas de toilettes pour les filles.",
            "Les classes sont surchargées.",
            "Il manque des enseignants.",
        ],
        "en": [
            "The school has no toilets for girls.",
            "The classrooms are overcrowded.",
            "There are not enough teachers.",
        ],
        "es": [
            "La escuela no tiene baños para niñas.",
            "Las aulas están llenas.",
            "Faltan maestros en la escuela.",
        ],
    },
    "roads": {
        "sw": ["Barabara haipitiki wakati wa mvua.", "Daraja la mto limevunjika."],
        "ar": ["الطريق مقطوع في موسم الأمطار.", "الجسر فوق الوادي مكسور."],
        "zh-Hans": ["下雨时道路无法通行。", "河上的桥断了。"],
        "fr": ["La route est impraticable quand il pleut.", "Le pont sur la rivière est cassé."],
        "en": ["The road is impassable when it rains.", "The bridge over the river is broken."],
        "es": ["El camino no se puede usar cuando llueve.", "El puente del río está roto."],
    },
    "jobs": {
        "sw": ["Vijana hawana kazi.", "Tunahitaji mafunzo ya ufundi."],
        "ar": ["الشباب بلا عمل.", "نحتاج إلى تدريب مهني."],
        "zh-Hans": ["年轻人找不到工作。", "我们需要职业培训。"],
        "fr": [
            "Les jeunes n'ont pas de travail.",
            "Nous avons besoin d'une formation professionnelle.",
        ],
        "en": ["Young people have no work.", "We need vocational training."],
        "es": ["Los jóvenes no tienen trabajo.", "Necesitamos formación profesional."],
    },
    "food": {
        "sw": ["Mavuno yameharibika kwa ukame.", "Watoto wanakosa chakula shuleni."],
        "ar": ["المحصول تلف بسبب الجفاف.", "الأطفال لا يحصلون على وجبة في المدرسة."],
        "zh-Hans": ["干旱毁了庄稼。", "孩子们在学校没有午饭。"],
        "fr": ["La sécheresse a détruit la récolte.", "Les enfants n'ont pas de repas à l'école."],
        "en": ["The drought destroyed the harvest.", "Children get no meal at school."],
        "es": ["La sequía destruyó la cosecha.", "Los niños no reciben comida en la escuela."],
    },
    "energy": {
        "sw": ["Hakuna umeme sokoni usiku.", "Taa za barabarani hazifanyi kazi."],
        "ar": ["لا توجد كهرباء في السوق ليلا.", "أضواء الشارع لا تعمل."],
        "zh-Hans": ["市场晚上没有电。", "路灯不亮了。"],
        "fr": [
            "Il n'y a pas d'électricité au marché la nuit.",
            "L'éclairage public ne marche pas.",
        ],
        "en": ["There is no electricity at the market at night.", "The street lights do not work."],
        "es": [
            "No hay electricidad en el mercado por la noche.",
            "Las luces de la calle no funcionan.",
        ],
    },
    "safety": {
        "sw": ["Wanawake hawako salama njiani usiku.", "Tunahitaji kituo cha polisi karibu."],
        "ar": ["النساء لا يشعرن بالأمان ليلا.", "نحتاج إلى مركز شرطة قريب."],
        "zh-Hans": ["妇女晚上走路不安全。", "我们需要附近有派出所。"],
        "fr": [
            "Les femmes ne sont pas en sécurité la nuit.",
            "Nous avons besoin d'un poste de police proche.",
        ],
        "en": ["Women are not safe on the path at night.", "We need a police post nearby."],
        "es": ["Las mujeres no están seguras de noche.", "Necesitamos un puesto de policía cerca."],
    },
    "environment": {
        "sw": ["Taka zimejaa mtoni.", "Miti inakatwa bila mpango."],
        "ar": ["النفايات تملأ مجرى النهر.", "الأشجار تقطع بلا تخطيط."],
        "zh-Hans": ["河边的垃圾越来越多。", "树木被乱砍。"],
        "fr": ["Les déchets remplissent la rivière.", "Les arbres sont coupés sans contrôle."],
        "en": ["Rubbish fills the river bank.", "Trees are cut down without a plan."],
        "es": ["La basura llena el río.", "Se cortan árboles sin control."],
    },
    "housing": {
        "sw": [
            "Nyumba zetu zinavuja wakati wa mvua.",
            "Familia zilizohamishwa zinaishi kwenye mahema.",
        ],
        "ar": ["بيوتنا تتسرب منها مياه المطر.", "الأسر النازحة تعيش في خيام."],
        "zh-Hans": ["下雨时房子漏水。", "搬迁的家庭住在帐篷里。"],
        "fr": [
            "Nos maisons prennent l'eau quand il pleut.",
            "Les familles déplacées vivent sous des tentes.",
        ],
        "en": ["Our houses leak when it rains.", "Displaced families live in tents."],
        "es": [
            "Nuestras casas se mojan cuando llueve.",
            "Las familias desplazadas viven en carpas.",
        ],
    },
}

TAILS = {
    "sw": [
        "Tafadhali msaidie haraka.",
        "Hili ni tatizo la muda mrefu.",
        "Wazee na watoto wanaathirika zaidi.",
        "",
    ],
    "ar": ["نرجو المساعدة بسرعة.", "هذه مشكلة قديمة.", "كبار السن والأطفال هم الأكثر تضررا.", ""],
    "zh-Hans": ["请尽快帮忙。", "这是个老问题了。", "老人和孩子受影响最大。", ""],
    "fr": [
        "Merci d'agir vite.",
        "Le problème dure depuis longtemps.",
        "Les enfants et les anciens souffrent le plus.",
        "",
    ],
    "en": [
        "Please help soon.",
        "This has been a problem for a long time.",
        "Children and the elderly suffer most.",
        "",
    ],
    "es": [
        "Por favor ayuden pronto.",
        "Es un problema de hace mucho tiempo.",
        "Los niños y los ancianos sufren más.",
        "",
    ],
}

FIRST_NAMES = {
    "sw": ["Amina", "Juma", "Wanjiru", "Otieno"],
    "ar": ["فاطمة", "أحمد", "مريم", "يوسف"],
    "zh-Hans": ["王芳", "李伟", "张敏", "刘洋"],
    "fr": ["Aïcha", "Moussa", "Mariam", "Ibrahim"],
    "en": ["Grace", "Peter", "Joyce", "David"],
    "es": ["María", "José", "Lucía", "Carlos"],
}
