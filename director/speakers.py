"""Who speaks a line: the subject of the clause that introduces or follows the quotation.

No parser and no model: a few rules per script that hold for the way prompts are written.
Latin scripts: the noun phrase opening the clause ("The old captain stares … and mutters" →
"Old captain"), the noun a relative clause hangs on ("Close-up of the bartender, who says" →
"Bartender"), the subject after an inverted verb ("…", dice María). Chinese: the few characters
opening the clause, before the first action word. Japanese and Korean: the word their subject
particles mark (ユキが, 민수는). A pronoun is kept as written so the caller can refer it back.
Pure.
"""

import re

from director import vocabulary as words
from director.reading import CJK, table_pattern

HANGUL = re.compile(r"[\uac00-\ud7af]")
KANA = re.compile(r"[\u3040-\u30ff]")
# fmt: off
PRONOUNS = frozenset((
    "she", "he", "they", "her", "him", "them", "ella", "él", "ellos", "ellas", "她", "他", "她们",
    "他们", "彼女", "彼", "彼ら", "그녀", "그", "그들",
))
# Words that are never a speaker, though they open clauses like one.
NOT_NAMES = frozenset((
    "camera", "shot", "scene", "it", "this", "that", "there", "we", "you", "i", "cámara", "plano",
    "escena", "esto", "eso", "no", "nadie", "镜头", "画面", "カメラ", "카메라", "화면",
))
ARTICLES = frozenset((
    "a", "an", "the", "un", "una", "el", "la", "los", "las",
))
POSSESSIVES = frozenset((
    "her", "his", "their", "my", "our", "your", "its", "su", "sus",
))
POSSESSIVE_START = r"(?:her|his|their|my|our|your|its|su|sus)\b"
SPANISH_ARTICLES = frozenset((
    "un", "una", "el", "la", "los", "las",
))
# Spanish adjectives that come before the noun ("el viejo marinero").
PRENOMINAL = frozenset((
    "viejo", "vieja", "joven", "pequeño", "pequeña", "gran", "buen", "buena", "mal", "mala",
    "primer", "primera", "segundo", "segunda", "otro", "otra", "mismo", "misma", "pobre",
))
# Words that end a noun phrase: prepositions, conjunctions, relatives, auxiliaries.
STOPS = frozenset((
    "who", "which", "that", "whose", "while", "as", "and", "or", "but", "with", "without", "on",
    "at", "in", "into", "of", "from", "by", "near", "behind", "beside", "to", "for", "is", "was",
    "are", "were", "has", "had", "then", "now", "still", "just", "also", "quietly", "softly",
    "que", "quien", "quienes", "y", "o", "pero", "con", "sin", "en", "de", "del", "al", "a", "por",
    "para", "junto", "mientras", "es", "está",
))
CONJUNCTIONS = frozenset((
    "and", "but", "then", "so", "while", "as", "y", "pero", "entonces", "mientras",
))
# fmt: on
WORD = re.compile(r"@\S+|[^\W\d_][\w'’.-]*", re.UNICODE)
RELATIVE = re.compile(r"^\s*(?:who|which|que|quien)\b", re.IGNORECASE)
# What a framing phrase hangs its subject on: "Close-up of", "Primer plano de", "X的特写".
OF = re.compile(r"^.*?\b(?:of|de|del|on)\s+", re.IGNORECASE | re.DOTALL)
# Chinese: a name ends where an action begins ("小明站在门口说" → 小明).
ZH_ACTION = re.compile(r"[站坐看望走转拿抬低轻笑哭在对向跟把朝突一慢回冷微点叹推拉喝吃指]")
ZH_NAME_CHARS = 4
# A Japanese subject: the word before は, が or も. It starts where its run of letters starts
# (a match never starts inside one that failed from its start) and runs possessively to the
# first particle: a lazy run from every position of a long run without one was quadratic.
JA_SUBJECT = re.compile(
    r"(?:^|(?<=[、。，,\s「」『』]))([^、。，,\s「」『』](?:(?![はがも])[^、。，,\s「」『』])*+)[はがも]"
)
KO_SUBJECT = re.compile(r"^(.+?)(?:께서|이가|이는|이|가|은|는)$")
FRAMING_TABLES = (words.SHOT_SIZES, words.CAMERA_ANGLES)
# The person a camera follows, who is then the one the shot's "she" or "他" refers to. A name
# runs possessively up to what ends it, and never over the next "镜头跟随" or "カメラが" (where
# the next try starts): a lazy name from each of many of them each read the rest of the text.
_CJK_FOLLOWS = r"(?:镜头(?:跟随|跟着|跟拍)|カメラが)"
_ZH_AFTER_NAME = r"(?:走|跑|穿|进|来|去|上|下|在|，|。|$)"
_JA_AFTER_NAME = r"を(?:追|つけ)"
FOLLOWED = re.compile(
    r"\bcamera\s+(?:follows|tracks|trails)\s+(?:the\s+)?(@\S+|[A-Z][\w’'-]*|\w+)"
    r"|\bcámara\s+sigue\s+a\s+(?:la\s+|el\s+)?(@\S+|\w+)"
    rf"|镜头(?:跟随|跟着|跟拍)\s*+(@\S(?:(?!{_ZH_AFTER_NAME}|{_CJK_FOLLOWS})\S)*+"
    rf"|[^\s，,。、]{{1,3}}?)(?={_ZH_AFTER_NAME})"
    rf"|カメラが\s*+(@\S(?:(?!{_JA_AFTER_NAME}|{_CJK_FOLLOWS})\S)*+"
    rf"|[^\s、。](?:(?!{_JA_AFTER_NAME}|{_CJK_FOLLOWS})[^\s、。])*+){_JA_AFTER_NAME}"
    r"|카메라가\s+(@\S+?|\S+?)(?:를|을)\s*따라",
    re.IGNORECASE,
)
_CJK_SIZES = "|".join(
    re.escape(phrase)
    for phrases in words.SHOT_SIZES.values()
    for phrase in sorted(phrases, key=len, reverse=True)
    if CJK.search(phrase)
)
# A CJK framing names whom it frames before it (X的特写, Xのクローズアップ, X의 클로즈업) or
# right after it (特写 X).
CJK_FRAMING = re.compile(rf"^(?:(?P<owner>[^、，,。\s]+?)\s*(?:の|的|의)\s*)?(?:{_CJK_SIZES})")


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:] if name else ""


def _without_framing(text: str) -> str:
    """The clause without the framing that opens it: "A close-up of the cook" → "the cook"."""
    text = words.OPENERS.sub("", re.sub(r"^[^\w@]+", "", text))
    bare = words.ARTICLE.sub("", text)
    if CJK.search(bare[:1]) and CJK_FRAMING.search(bare):
        return bare  # subject() reads whom a CJK framing frames
    for table in FRAMING_TABLES:
        found = table_pattern(tuple(table.items())).match(bare)
        if found:
            rest = bare[found.end() :]
            of = OF.match(rest) if len(rest.split()) > 1 else None
            text = rest[of.end() :] if of else re.sub(r"^\W*(?:shot|view|angle)?\W*", "", rest)
            if re.match(POSSESSIVE_START, text, re.IGNORECASE):
                return ""  # "Close-up of her face": a part of someone, not someone
            break
    return text.strip(" ,:;-")


def _verb_like(token: str) -> bool:
    """An English finite verb or participle after the noun ("captain stares", "cook laughing")."""
    low = token.lower()
    if token[:1].isupper() or len(low) < 3:
        return False
    if low.endswith(("ing", "ed", "ly")):
        return True
    return low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "’s"))


def latin_subject(clause: str) -> str:
    """The noun phrase opening `clause`: a handle, a capitalised name, or an article's noun."""
    tokens = WORD.findall(_without_framing(clause))
    while tokens and tokens[0].lower() in CONJUNCTIONS:  # "… and Tom replies"
        tokens = tokens[1:]
    if not tokens:
        return ""
    if tokens[0].startswith("@"):
        return tokens[0].rstrip(".,;:!?")
    spanish = tokens[0].lower() in SPANISH_ARTICLES
    if tokens[0].lower() in ARTICLES | POSSESSIVES:
        tokens = tokens[1:]
    elif tokens[0][:1].isupper():  # a name: its capitalised words ("Old Tom", "María José")
        name = []
        for token in tokens[:3]:
            if not token[:1].isupper() or token.lower() in STOPS:
                break
            name.append(token)
        return _name_or_nothing(" ".join(name))
    name = []
    for token in tokens[:3]:
        low = token.lower()
        if low in STOPS or low in ARTICLES or _verb_like(token):
            break  # "captain stares"; and "smiling," alone names no one
        name.append(token)
        if spanish and low not in PRENOMINAL:
            break  # Spanish adjectives follow the noun: "la farmacéutica" is enough
    return _name_or_nothing(" ".join(name))


def _name_or_nothing(name: str) -> str:
    name = name.strip(" .,'’-")
    if not name or name.lower() in NOT_NAMES or not any(c.isalpha() for c in name):
        return ""
    if name.lower() in PRONOUNS:
        return name.lower()
    if name.isupper() and len(name) > 1:  # a screenplay's "MARA (whispering):"
        name = name.title()
    if name.lower().split()[-1] in NOT_NAMES:
        return ""
    return _capitalised(name)


def cjk_subject(clause: str) -> str:
    """The subject of a Chinese, Japanese or Korean clause (see the module's docstring)."""
    clause = next((c for c in reversed(re.split(r"[。！？!?；;]", clause)) if c.strip()), "")
    clause = clause.strip(" ，,、：:")
    if HANGUL.search(clause):
        for token in reversed(clause.split()):
            marked = KO_SUBJECT.match(token.strip(",，、"))
            if marked:
                return _name_or_nothing(marked.group(1))
        return ""
    piece = re.split(r"[，,、：:\s]", clause.strip(" ，,、：:"))[-1] if clause.strip() else ""
    if KANA.search(clause) or JA_SUBJECT.search(piece):
        found = JA_SUBJECT.search(clause.split("、")[-1]) or JA_SUBJECT.search(clause)
        return _name_or_nothing(found.group(1)) if found else ""
    piece = piece.split("的")[-1]  # "年轻的服务员" → 服务员
    action = ZH_ACTION.search(piece, 1)
    name = piece[: action.start()] if action else piece
    return _name_or_nothing(name[:ZH_NAME_CHARS])


def _framed(head: str) -> str | None:
    """Whom a CJK framing frames: "バーテンダーのクローズアップ" → バーテンダー, "特写 @小雨" →
    @小雨, "特写她的笑脸" → 她; None when `head` opens with no CJK framing."""
    framing = CJK_FRAMING.search(head) if CJK.search(head[:1]) else None
    if framing is None:
        return None
    if framing.group("owner"):
        return _name_or_nothing(framing.group("owner"))
    after = head[framing.end() :].strip(" ，,、：:")
    first = re.split(r"[，,、。：:\s]", after)[0]
    if re.search(r"[的の의]", first):  # "特写她的笑脸": the owner of what is framed
        return _name_or_nothing(re.split(r"[的の의]", first)[0])
    return cjk_subject(after)


def subject(clause: str) -> str:
    """The subject of `clause` in whichever script it is written."""
    followed = FOLLOWED.search(clause)
    if followed:  # "the camera follows @Mara": the shot is about her
        return _name_or_nothing(next(g for g in followed.groups() if g))
    head = _without_framing(clause)
    framed = _framed(head)
    if framed is not None:
        return framed
    return cjk_subject(head) if CJK.search(head[:12]) else latin_subject(head)


def speaker_before(lead: str) -> str:
    """The speaker of a quotation from the words leading into it ("The cook asks in Japanese,")."""
    verbs = list(words.SPEECH_VERBS.finditer(lead))
    verb = verbs[-1] if verbs else None  # the one nearest the quotation
    before = lead[: verb.start()] if verb else lead
    before = words.VOICE_OVER.sub(" ", words.DELIVERY_PHRASE.sub(" ", before))
    if CJK.search(before) and not re.search(r"[A-Za-z]{3}", before):
        head = _without_framing(before)
        framed = _framed(head)
        return framed if framed is not None else cjk_subject(head)
    pieces = re.split(r"[,，:：;]", before)
    if len(pieces) > 1 and RELATIVE.match(pieces[-1]):
        # "Close-up of the bartender, who smiles and says": the noun the clause hangs on.
        head = _without_framing(pieces[-2])
        of = OF.match(head)
        return subject(head[of.end() :] if of else head)
    for piece in reversed(pieces):  # "The cook, smiling, says": the nearest piece that names
        if piece.strip() and (name := subject(piece)):
            return name
    return ""


def speaker_after(follow: str) -> str:
    """The speaker named after a quotation: `"…," the bartender says`, `"…", dice María`,
    `「…」と彼は言う`, `"…"라고 민수가 말했다`."""
    text = re.sub(r"^[\s,，、]*(?:と|って|이라고|라고)?\s*", "", follow)
    verb = words.SPEECH_VERBS.search(text)
    if verb is None:
        return ""
    before = text[: verb.start()]
    if CJK.search(before):
        return cjk_subject(words.DELIVERY_PHRASE.sub(" ", before))
    if before.strip():
        return latin_subject(words.DELIVERY_PHRASE.sub(" ", before))
    return latin_subject(text[verb.end() :])  # inverted: "says the old man", "dice María"


def is_pronoun(name: str) -> bool:
    return name.lower() in PRONOUNS
