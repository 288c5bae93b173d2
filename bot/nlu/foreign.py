"""Messages clearly written in a language the bot does not speak: by their script, or by their small words.

"أريد العودة إلى بلدي", "хочу вернуться домой" and "je veux rentrer en Guinée" must not be matched against the
Dutch and English examples (any answer would be a guess); the engine answers them in the bot's languages,
saying which languages it understands, plus the same sentence in the person's language where the content
has one. A message is foreign when most of its letters are of a script Dutch and English do not use
(Arabic, Ethiopic, Cyrillic, ...), or when it is in Latin script and holds at least two function words of
one other language ("veux", "pour", "ich", "nicht", "quiero", "için", "waxaan"...) and clearly more of
them than Dutch or English ones. Names such as IOM, Nederland or Guinée do not count for either side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Small words that are frequent in a language and are not Dutch or English words.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": _set("c'est quoi exactement beaucoup bonsoir où je m'appelle j'ai n'ai papiers passeport en veux voudrais "
               "suis est sont les des une mon ma mes pour avec dans sur pas aussi mais comment pourquoi quand vous "
               "nous ils elle aider aide retourner rentrer pays famille merci bonjour salut au aux du cette ce qui "
               "que puis peux besoin ai avez très oui non"),
    "de": _set("habe keinen mehr was soll tun wer bezahlt flug guten tag schön wo kann ich zurückkehren bin ist "
               "nicht und mein meine meinen mit für auch aber wie warum wann sie wir zurück möchte bitte danke "
               "heimat hilfe brauche nach hause mich mir einen eine der das ein kein keine"),
    "es": _set("tengo pasaporte que hago buenas buenos días muchas gracias hola dónde ayúdame quiero yo soy estoy es "
               "mi con para por pero como cómo porque cuando usted nosotros volver regresar ayuda ayudar país "
               "familia también necesito puedo el los las una sí del"),
    "pt": _set("bom dia boa tarde olá obrigado tenho passaporte onde eu quero sou estou é meu minha com para por mas "
               "como porque quando você nós voltar ajuda ajudar país família obrigada também preciso posso não sim "
               "uma"),
    "tr": _set("yardima yardım ihtiyacim ihtiyacım lutfen lütfen merhaba teşekkürler tesekkurler pasaportum yok "
               "nerede eve dönmek istiyorum ben bir ve için nasıl neden ne zaman siz biz geri ülkeme ülke aile "
               "teşekkür ama çok var evet hayır benim bana istiyoruz mı mi"),
    "so": _set("sidee tahay baasaboor haysto ayaan baahanahay salaan mahadsanid dalka guriga waxaan doonayaa iyo aan "
               "waa ku la ah kuu dalkayga caawimaad caawin fadlan haa maya qoyskayga waxay aniga ma iga dib ugu"),
    "pl": _set("szukam pracy czy pomaga w holandii cześć dziękuję paszport chcę jestem jest nie się mój moja z dla "
               "ale jak dlaczego kiedy pan pani my wrócić pomoc pomocy kraju rodzina dzień dobry tak potrzebuję mogę "
               "do domu"),
    "it": _set("buongiorno grazie voglio sono è mio mia con ma perché quando lei noi tornare aiuto aiutare "
               "paese famiglia ciao anche ho bisogno posso sì"),
    "ku": _set("ez dixwazim dixwazin vegerim welatê xwe alîkarî spas malbata min çawa kurmancî heye nîne"),
}
#: Letters only some Latin-script languages use: a message with one of them leans to those languages.
SPECIAL_LETTERS: dict[str, str] = {
    "tr": "ıİğĞşŞ", "pl": "łŁąĄęĘśŚźŹżŻćĆńŃ", "de": "ß", "es": "ñÑ¿¡", "pt": "ãÃõÕ", "ku": "êÊîÎûÛ",
}
#: Words that alone show the language (greetings, thanks): a one-word message such as "Merhaba" is enough.
SIGNATURE_WORDS: dict[str, frozenset[str]] = {
    "fr": _set("bonjour bonsoir merci beaucoup salut"),
    "de": _set("danke guten schön bitte"),
    "es": _set("hola gracias buenas muchas"),
    "pt": _set("obrigado obrigada olá"),
    "tr": _set("merhaba teşekkürler tesekkurler teşekkür lütfen lutfen"),
    "so": _set("mahadsanid salaan waxaan"),
    "pl": _set("dziękuję cześć dzień"),
    "it": _set("grazie buongiorno"),
}
MIN_FUNCTION_WORDS = 2
SCRIPT_SHARE = 0.5  # the share of letters in a foreign script that makes a message foreign


def _script_language(letter: str) -> str | None:
    """The language family of a letter's script, or None for Latin (and digits, signs)."""
    code = ord(letter)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
        return "ethiopic"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    for low, high, lang in ((0x0370, 0x03FF, "el"), (0x0530, 0x058F, "hy"), (0x10A0, 0x10FF, "ka"),
                            (0x0900, 0x097F, "hi"), (0x0980, 0x09FF, "bn"), (0x0E00, 0x0E7F, "th"),
                            (0x4E00, 0x9FFF, "zh"), (0x3040, 0x30FF, "ja"), (0xAC00, 0xD7AF, "ko"),
                            (0x0590, 0x05FF, "he"), (0x1000, 0x109F, "my"), (0x0D80, 0x0DFF, "si"),
                            (0x0B80, 0x0BFF, "ta")):
        if low <= code <= high:
            return lang
    return None


def _which_arabic_script(text: str) -> str:
    """Arabic, Persian, Pashto, Sorani Kurdish or Urdu, by the letters only they use."""
    for lang, letters in (("ps", "ټډړښږځڅګ"), ("ku", "ێۆڵڕە"), ("ur", "ےٹڈڑ")):
        if any(c in text for c in letters):
            return lang
    words = set(text.split())
    if words & {"مننه", "زه", "له", "سره", "شي", "کولی", "غواړم", "څنګه"}:
        return "ps"
    if any(c in text for c in "پچژگکی"):
        return "fa"
    return "ar"


def _which_ethiopic(text: str) -> str:
    """Tigrinya or Amharic: Tigrinya writes ኣ, ሓ, ኸ and its own small words far more often."""
    tigrinya = sum(text.count(c) for c in "ኣሓኸዀ") + sum(text.count(w) for w in ("ኣነ", "እየ", "ኢዩ", "ክንደይ", "የቐንየለይ"))
    amharic = text.count("አ") + sum(text.count(w) for w in ("እኔ", "ነው", "እፈልጋለሁ", "እንዴት", "ምን", "ልኝ", "ለሁ",
                                                            "ኝም", "ይችላል", "ጤና"))
    return "am" if amharic > tigrinya else "ti"


def _which_cyrillic(text: str) -> str:
    """Ukrainian or Russian (or another Cyrillic language, counted as Russian)."""
    lower = text.lower()
    if any(c in lower for c in "іїєґ") or any(w in lower for w in ("дякую", "добрий", "будь ласка", "привіт")):
        return "uk"
    return "ru"


def by_script(text: str) -> str | None:
    """The language of a message written mostly in a script Dutch and English do not use, else None."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    scripts = Counter(s for c in letters if (s := _script_language(c)) is not None)
    if not scripts:
        return None
    script, count = scripts.most_common(1)[0]
    if count / len(letters) < SCRIPT_SHARE:
        return None
    if script == "arabic":
        return _which_arabic_script(text)
    if script == "ethiopic":
        return _which_ethiopic(text)
    if script == "cyrillic":
        return _which_cyrillic(text)
    return script


def _words(text: str) -> list[str]:
    folded = text.casefold()
    word, words = [], []
    for c in folded:
        if c.isalpha() or c == "'":
            word.append(c)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


def by_words(text: str, own_words: Iterable[str]) -> str | None:
    """The language of a Latin-script message full of another language's small words, else None.

    ``own_words``: the bot's languages' own small words (stopwords, yes/no words). A word both languages use
    ("je", "en", "de") counts for the other language only next to at least one word that is its own."""
    words = _words(text)
    if not words:
        return None
    own = frozenset(own_words)
    best: tuple[int, str] | None = None
    for lang, function_words in FUNCTION_WORDS.items():
        found = {w for w in words if w in function_words}
        theirs = {w for w in found if w not in own}
        ours = sum(w in own and w not in function_words for w in words)
        hits = len(found) + any(c in text for c in SPECIAL_LETTERS.get(lang, ""))
        hits += sum(w in SIGNATURE_WORDS.get(lang, ()) for w in theirs)
        if theirs and hits >= MIN_FUNCTION_WORDS and hits > ours and (best is None or hits > best[0]):
            best = (hits, lang)
    return best[1] if best else None


def foreign_language(text: str, own_words: Iterable[str]) -> str | None:
    """The ISO 639-1 code of the language a message is clearly written in, when it is none of the bot's."""
    return by_script(text) or by_words(text, own_words)
