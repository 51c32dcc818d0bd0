"""The participant pages' own words (not the questions) in every language we offer.

A plain dictionary rather than Babel catalogs: the participant side is a handful of pages, the
staff side is Dutch only, and a dictionary keeps each sentence's four versions side by side where
a translator or reviewer can see them. The questions come from the methodiek's question sets.
Words here stay neutral: no word that tells what the group is about (see wording.py), except on
the safety page, which exists to give those numbers.
"""

LANGUAGES = ("nl", "en", "tr", "ar")
DEFAULT_LANGUAGE = "nl"
RTL_LANGUAGES = {"ar"}

#: each language's name in that language, for the language switch
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "ar": "العربية"}

TEXTS: dict[str, dict[str, str]] = {
    "title": {
        "nl": "Vragenlijst",
        "en": "Questionnaire",
        "tr": "Anket",
        "ar": "استبيان",
    },
    "exit": {
        "nl": "Verlaat deze pagina",
        "en": "Exit this page",
        "tr": "Bu sayfadan çık",
        "ar": "الخروج من هذه الصفحة",
    },
    "exit_hint": {
        "nl": "of druk drie keer op Shift",
        "en": "or press Shift three times",
        "tr": "ya da Shift tuşuna üç kez bas",
        "ar": "أو اضغطي على مفتاح Shift ثلاث مرات",
    },
    "skip_to_content": {
        "nl": "Naar de inhoud",
        "en": "Skip to content",
        "tr": "İçeriğe geç",
        "ar": "الانتقال إلى المحتوى",
    },
    "language": {
        "nl": "Taal",
        "en": "Language",
        "tr": "Dil",
        "ar": "اللغة",
    },
    "code_heading": {
        "nl": "Vul je code in",
        "en": "Enter your code",
        "tr": "Kodunu gir",
        "ar": "أدخلي الرمز الخاص بك",
    },
    "code_label": {
        "nl": "Code",
        "en": "Code",
        "tr": "Kod",
        "ar": "الرمز",
    },
    "code_hint": {
        "nl": "De code staat op je briefje. Hoofdletters, kleine letters en streepjes maken niet uit.",
        "en": "The code is on your slip of paper. Capitals, small letters and dashes do not matter.",
        "tr": "Kod, sana verilen kağıtta yazıyor. Büyük harf, küçük harf ya da tire fark etmez.",
        "ar": "الرمز مكتوب على الورقة التي حصلتِ عليها. لا يهم إن كتبتِه بأحرف كبيرة أو صغيرة أو مع شرطات.",
    },
    "continue": {
        "nl": "Verder",
        "en": "Continue",
        "tr": "Devam",
        "ar": "متابعة",
    },
    "intro_heading": {
        "nl": "Voordat je begint",
        "en": "Before you start",
        "tr": "Başlamadan önce",
        "ar": "قبل أن تبدئي",
    },
    "intro_anonymous": {
        "nl": "Deze vragenlijst is anoniem. Je naam wordt niet gevraagd en niemand kan zien wat jij hebt ingevuld.",
        "en": "This questionnaire is anonymous. We do not ask your name and nobody can see what you filled in.",
        "tr": "Bu anket anonimdir. Adın sorulmaz ve ne yazdığını kimse göremez.",
        "ar": "هذا الاستبيان مجهول الهوية. لا نسألك عن اسمك، ولا يستطيع أحد أن يرى ما كتبتِه.",
    },
    "intro_exit": {
        "nl": "Bovenaan staat de knop ‘Verlaat deze pagina’. Druk erop en je komt meteen op een gewone, andere website.",
        "en": "At the top is the button ‘Exit this page’. Press it and you go straight to an ordinary, different website.",
        "tr": "Sayfanın üstünde ‘Bu sayfadan çık’ düğmesi var. Bu düğmeye basarsan hemen sıradan, başka bir web sitesi açılır.",
        "ar": "في أعلى الصفحة يوجد زر ‘الخروج من هذه الصفحة’. إذا ضغطتِ عليه تنتقلين فورًا إلى موقع آخر عادي.",
    },
    "intro_exit_keys": {
        "nl": "Met een toetsenbord kan het ook: druk drie keer op de Shift-toets.",
        "en": "With a keyboard you can also press the Shift key three times.",
        "tr": "Klavyeyle de olur: Shift tuşuna üç kez bas.",
        "ar": "يمكنك أيضًا بلوحة المفاتيح الضغط على مفتاح Shift ثلاث مرات.",
    },
    "intro_history": {
        "nl": "Let op: de geschiedenis van je browser wordt niet gewist. Gebruik als het kan een privévenster, of wis je geschiedenis als je klaar bent.",
        "en": "Please note: your browser history is not erased. If you can, use a private window, or clear your history when you are done.",
        "tr": "Dikkat: tarayıcı geçmişin silinmez. Mümkünse gizli pencere kullan ya da işin bitince geçmişini sil.",
        "ar": "انتبهي: سجلّ المتصفح لا يُحذف. إن أمكن، استخدمي نافذة خاصة، أو احذفي السجلّ عندما تنتهين.",
    },
    "intro_skip": {
        "nl": "Je mag vragen overslaan. Er zijn geen goede of foute antwoorden.",
        "en": "You may skip questions. There are no right or wrong answers.",
        "tr": "İstediğin soruyu atlayabilirsin. Doğru ya da yanlış cevap yoktur.",
        "ar": "يمكنك تخطّي أي سؤال. لا توجد إجابات صحيحة أو خاطئة.",
    },
    "start": {
        "nl": "Naar de vragen",
        "en": "Go to the questions",
        "tr": "Sorulara geç",
        "ar": "الانتقال إلى الأسئلة",
    },
    "question_of": {
        "nl": "Vraag {n} van {total}",
        "en": "Question {n} of {total}",
        "tr": "Soru {n} / {total}",
        "ar": "السؤال {n} من {total}",
    },
    "send": {
        "nl": "Versturen",
        "en": "Send",
        "tr": "Gönder",
        "ar": "إرسال",
    },
    "optional_text": {
        "nl": "Je mag dit leeg laten.",
        "en": "You may leave this empty.",
        "tr": "Boş bırakabilirsin.",
        "ar": "يمكنك ترك هذا فارغًا.",
    },
    "errors_heading": {
        "nl": "Er ging iets mis",
        "en": "Something went wrong",
        "tr": "Bir sorun oldu",
        "ar": "حدث خطأ",
    },
    "error_choice": {
        "nl": "Kies een van de antwoorden.",
        "en": "Choose one of the answers.",
        "tr": "Cevaplardan birini seç.",
        "ar": "اختاري إحدى الإجابات.",
    },
    "error_too_long": {
        "nl": "Dit antwoord is te lang. Het mag {max} tekens zijn.",
        "en": "This answer is too long. It may be {max} characters.",
        "tr": "Bu cevap çok uzun. En fazla {max} karakter olabilir.",
        "ar": "هذه الإجابة طويلة جدًا. الحد الأقصى {max} حرفًا.",
    },
    "error_empty": {
        "nl": "Je hebt nog niets ingevuld. Beantwoord minstens één vraag.",
        "en": "You have not filled in anything yet. Please answer at least one question.",
        "tr": "Henüz hiçbir şey doldurmadın. Lütfen en az bir soruyu cevapla.",
        "ar": "لم تملئي أي شيء بعد. أجيبي عن سؤال واحد على الأقل.",
    },
    "error_expired_form": {
        "nl": "Het formulier is verlopen. Je antwoorden staan er nog: druk nog een keer op Versturen.",
        "en": "The form had expired. Your answers are still here: press Send once more.",
        "tr": "Formun süresi dolmuştu. Cevapların duruyor: lütfen bir kez daha Gönder'e bas.",
        "ar": "انتهت صلاحية النموذج. إجاباتك ما زالت هنا: اضغطي على إرسال مرة أخرى.",
    },
    "error_retry": {
        "nl": "Het lukte even niet om je antwoorden op te slaan. Ze staan er nog: druk over een paar tellen nog een keer op Versturen.",
        "en": "Your answers could not be saved just now. They are still here: press Send again in a few seconds.",
        "tr": "Cevapların şu anda kaydedilemedi. Cevapların duruyor: birkaç saniye sonra tekrar Gönder'e bas.",
        "ar": "لم نتمكن من حفظ إجاباتك الآن. إجاباتك ما زالت هنا: اضغطي على إرسال مرة أخرى بعد بضع ثوانٍ.",
    },
    "form_expired": {
        "nl": "Het formulier is verlopen. Vul je code nog een keer in.",
        "en": "The form has expired. Please enter your code once more.",
        "tr": "Formun süresi doldu. Lütfen kodunu bir kez daha gir.",
        "ar": "انتهت صلاحية النموذج. أدخلي الرمز مرة أخرى من فضلك.",
    },
    "invalid_heading": {
        "nl": "Deze code werkt niet",
        "en": "This code does not work",
        "tr": "Bu kod çalışmıyor",
        "ar": "هذا الرمز لا يعمل",
    },
    "invalid_text": {
        "nl": "Misschien is er een tikfout gemaakt, is de code al gebruikt of is de vragenlijst gesloten. Kijk de code nog eens na, of vraag de begeleiding om hulp. Dank je wel dat je wilde meedoen.",
        "en": "Perhaps there is a typing mistake, the code has already been used, or the questionnaire has closed. Please check the code, or ask the group leaders for help. Thank you for wanting to take part.",
        "tr": "Belki bir yazım hatası var, kod daha önce kullanılmış ya da anket kapanmış olabilir. Lütfen kodu kontrol et ya da grup yöneticilerinden yardım iste. Katılmak istediğin için teşekkür ederiz.",
        "ar": "ربما يوجد خطأ في الكتابة، أو استُخدم الرمز من قبل، أو أُغلق الاستبيان. تحقّقي من الرمز مرة أخرى، أو اطلبي المساعدة من مرشدات المجموعة. شكرًا لرغبتك في المشاركة.",
    },
    "try_again": {
        "nl": "Een andere code invullen",
        "en": "Enter another code",
        "tr": "Başka bir kod gir",
        "ar": "إدخال رمز آخر",
    },
    "too_many_heading": {
        "nl": "Even wachten",
        "en": "Please wait a moment",
        "tr": "Lütfen biraz bekle",
        "ar": "انتظري قليلًا من فضلك",
    },
    "too_many_text": {
        "nl": "Er zijn te veel codes geprobeerd die niet werken. Probeer het over een kwartier nog eens, of vraag de begeleiding om hulp.",
        "en": "Too many codes that do not work have been tried. Please try again in a quarter of an hour, or ask the group leaders for help.",
        "tr": "Çalışmayan çok fazla kod denendi. Lütfen on beş dakika sonra tekrar dene ya da grup yöneticilerinden yardım iste.",
        "ar": "جُرّبت رموز كثيرة لا تعمل. حاولي مرة أخرى بعد ربع ساعة، أو اطلبي المساعدة من مرشدات المجموعة.",
    },
    "thanks_heading": {
        "nl": "Dank je wel!",
        "en": "Thank you!",
        "tr": "Teşekkür ederiz!",
        "ar": "شكرًا لك!",
    },
    "thanks_text": {
        "nl": "Je antwoorden zijn goed aangekomen. Je kunt deze pagina nu sluiten.",
        "en": "Your answers have arrived safely. You can close this page now.",
        "tr": "Cevapların bize ulaştı. Bu sayfayı şimdi kapatabilirsin.",
        "ar": "وصلتنا إجاباتك. يمكنك الآن إغلاق هذه الصفحة.",
    },
    "help_link": {
        "nl": "Hulp nodig?",
        "en": "Need help?",
        "tr": "Yardıma mı ihtiyacın var?",
        "ar": "هل تحتاجين إلى مساعدة؟",
    },
    "safety_heading": {
        "nl": "Hulp en veiligheid",
        "en": "Help and safety",
        "tr": "Yardım ve güvenlik",
        "ar": "المساعدة والأمان",
    },
    "safety_112": {
        "nl": "In direct gevaar? Bel",
        "en": "In immediate danger? Call",
        "tr": "Acil tehlikede misin? Hemen ara:",
        "ar": "هل أنتِ في خطر مباشر؟ اتصلي بالرقم",
    },
    "safety_vt": {
        "nl": "Advies of hulp, ook anoniem, gratis en dag en nacht: bel Veilig Thuis,",
        "en": "Advice or help, also anonymously, free of charge, day and night: call Veilig Thuis,",
        "tr": "Tavsiye ya da yardım için, adını vermeden de, ücretsiz ve gece gündüz: Veilig Thuis'i ara,",
        "ar": "للنصيحة أو المساعدة، ويمكن دون ذكر اسمك، مجانًا ليلًا ونهارًا: اتصلي بـ Veilig Thuis على الرقم",
    },
    "safety_own": {
        "nl": "Je kunt ook praten met je eigen hulpverlener of met de begeleiding van de groep.",
        "en": "You can also talk to your own support worker or to the group leaders.",
        "tr": "Kendi danışmanınla ya da grup yöneticileriyle de konuşabilirsin.",
        "ar": "يمكنك أيضًا التحدث مع المرشدة الخاصة بك أو مع مرشدات المجموعة.",
    },
    "used_heading": {
        "nl": "Deze code is al gebruikt",
        "en": "This code has been used",
        "tr": "Bu kod kullanıldı",
        "ar": "تم استخدام هذا الرمز",
    },
    "used_text": {
        "nl": "Met deze code is de vragenlijst al geopend. Heb je hem al verstuurd? Dank je wel. Wil je nog meedoen, vraag de begeleiding dan om een nieuwe code.",
        "en": "This code has already opened the questionnaire. Did you send it already? Thank you. If you still want to take part, ask the group leaders for a new code.",
        "tr": "Bu kodla anket zaten açıldı. Zaten gönderdin mi? Teşekkür ederiz. Hâlâ katılmak istiyorsan grup yöneticilerinden yeni bir kod iste.",
        "ar": "تم فتح الاستبيان بهذا الرمز من قبل. هل أرسلتِه بالفعل؟ شكرًا لك. إن كنتِ ما زلتِ ترغبين في المشاركة، اطلبي رمزًا جديدًا من مرشدات المجموعة.",
    },
    "page_error_heading": {
        "nl": "Deze pagina is er niet",
        "en": "This page is not available",
        "tr": "Bu sayfa yok",
        "ar": "هذه الصفحة غير متوفرة",
    },
    "page_error_text": {
        "nl": "Er ging iets mis. Begin opnieuw met je code.",
        "en": "Something went wrong. Please start again with your code.",
        "tr": "Bir şeyler ters gitti. Lütfen kodunla yeniden başla.",
        "ar": "حدث خطأ ما. ابدئي من جديد بالرمز من فضلك.",
    },
    "back": {
        "nl": "Terug",
        "en": "Back",
        "tr": "Geri",
        "ar": "رجوع",
    },
}


def pick_language(value: str | None) -> str:
    """A language we offer, from a ``?taal=`` value; Dutch otherwise."""
    value = (value or "").strip().lower()[:5]
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def texts_for(language: str) -> dict[str, str]:
    """Every participant-page text in ``language`` (Dutch where a translation is missing)."""
    return {
        key: versions.get(language) or versions[DEFAULT_LANGUAGE] for key, versions in TEXTS.items()
    }


def localise(versions: dict[str, str] | str | None, language: str) -> tuple[str, str]:
    """A question set's text in ``language`` and the language it is really in (falls back to nl)."""
    if isinstance(versions, str):
        return versions, DEFAULT_LANGUAGE
    versions = versions or {}
    if versions.get(language):
        return versions[language], language
    return versions.get(DEFAULT_LANGUAGE, ""), DEFAULT_LANGUAGE


#: the question files' face emoji -> a mood from -2 (sad) to 2 (happy), drawn as our own SVG
#: so a phone without an emoji font still shows a face
FACE_MOODS = {"😟": -2, "😞": -2, "☹️": -2, "🙁": -1, "😐": 0, "🙂": 1, "😊": 2, "😀": 2, "😃": 2}


def face_mood(face: str | None) -> int | None:
    """The mood of a face emoji, or None for a face we do not draw."""
    return FACE_MOODS.get((face or "").strip())
