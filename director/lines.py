"""Dialogue and lettering out of one shot's text: each quotation is a line of dialogue (with its
speaker, delivery, voice-over flag and detected language) or on-screen lettering; the shot's
narrative is what remains. Pure."""

import re
from dataclasses import dataclass, field

from director import vocabulary as words
from director.reading import CJK, Quotation, quotations, sentences
from director.speakers import is_pronoun, speaker_after, speaker_before, subject
from script.languages import detect_language
from script.mentions import HandleIndex, find_mentions

# How far back from a quotation its lead-in is read (speaker, verb, delivery, cues).
LEAD_CHARS = 160
CUE_CHARS = 40
SHORT_LETTERING_WORDS = 3
# A sentence after a quotation that only names its speaker: the verb comes this early.
ATTRIBUTION_WORDS = 3
ATTRIBUTION_CJK_CHARS = 8
HANDLE = re.compile(r"@([^\s@,.;:!?，。、；：！？「」『』“”\"'()（）]+)")
CLAUSE_BREAK = re.compile(r"[.!?。！？;；]\s*")
PARENTHESES = re.compile(r"[(（]([^()（）]{1,120})[)）]")
# What may continue a quotation's own sentence after it: `"…," she says`, `「…」と言った`.
CONTINUES = re.compile(r"^\s*(?:[,，、]|[a-zà-ÿ]|と|って|라고|이라고|고\s)")
# The quotative particle that ties a Japanese or Korean quotation to its verb; it goes with the
# quotation, so the narrative reads "ユキが小声で言った。", not "ユキが小声で。と言った。".
# Matched right after the quotation (match(text, end): no copy of the rest of the text).
QUOTATIVE = re.compile(r"\s*+(?:と|って|이라고|라고)")
NEXT_SPEAKER = re.compile(r"^[\s,，、]*(?:and|but|then|while|y|pero|mientras)\b", re.IGNORECASE)
# A quotation or a colon after a speech verb: that verb introduces the next quotation instead.
INTRODUCES_NEXT = re.compile(r"[:：“「『‘«\"]")
# Spaces before punctuation, and the marks a cut leaves at a piece's end, read from the start
# of their run only (a lookbehind) and possessively: else every space of a long run was a new
# start scanning the rest of it.
SPACE_BEFORE_MARK = re.compile(r"(?<!\s)\s++([.,;:!?])")
TRAILING_BREAK = re.compile(r"(?<![\s,，:：、])[\s,，:：、]++$")


@dataclass
class Line:
    speaker: str
    text: str
    language: str
    delivery: str = ""
    voice_over: bool = False


@dataclass
class ReadShot:
    narrative: str
    lines: list[Line] = field(default_factory=list)
    lettering: list[str] = field(default_factory=list)


def _lead(text: str, quote: Quotation, previous_end: int) -> str:
    """The clause that introduces the quotation: back to the previous quotation or sentence."""
    lead = text[max(previous_end, quote.start - LEAD_CHARS) : quote.start]
    pieces = CLAUSE_BREAK.split(lead)
    # "… says:" may follow a sentence end only when the speech is its own sentence's object.
    return pieces[-1] if pieces[-1].strip() else (pieces[-2] if len(pieces) > 1 else "")


def _last_of_runs(text: str, quotes: list[Quotation]) -> list[int]:
    """For each quotation, the last of the run of quotations it is in (nothing but spaces
    between them): read once, backwards, not again from each quotation of the run."""
    last = list(range(len(quotes)))
    for index in range(len(quotes) - 2, -1, -1):
        if not text[quotes[index].end : quotes[index + 1].start].strip():
            last[index] = last[index + 1]
    return last


def _follow(text: str, quotes: list[Quotation], index: int) -> str:
    """The words after quotation `index` (the last of its run, see _last_of_runs) that belong
    to it, up to the end of their clause: the rest of its own sentence (`"…," she says`), or a
    next sentence that only says who spoke (`"Hi!" Mara shouts.`, `“…”他说。`); "" otherwise.
    Quotations with nothing between them share what follows the last (「A」「B」と二人が言う)."""
    quote = quotes[index]
    rest = text[quote.end : quote.end + LEAD_CHARS]
    whole = CLAUSE_BREAK.split(rest)[0] if rest else ""
    # What it says of this quotation stops where the next one opens.
    upto = quotes[index + 1].start - quote.end if index + 1 < len(quotes) else len(whole)
    clause = whole[:upto]
    ended = quote.text.rstrip()[-1:] in ".!?。！？…" if quote.text.strip() else False
    if not ended or CONTINUES.match(rest):
        # `"Come," and Tom replies, "No."`: the clause after is the next line's lead-in.
        verb = words.SPEECH_VERBS.search(clause)
        if verb and NEXT_SPEAKER.match(clause) and INTRODUCES_NEXT.search(whole[verb.end() :]):
            return ""
        return clause
    # Only a short "Mara shouts." names the speaker: the verb among its first words.
    verb = words.SPEECH_VERBS.search(clause[:CUE_CHARS])
    early = verb is not None and (
        len(clause[: verb.start()].split()) <= ATTRIBUTION_WORDS
        if not CJK.search(clause[:1])
        else verb.start() <= ATTRIBUTION_CJK_CHARS
    )
    if early and not INTRODUCES_NEXT.search(whole[verb.end() :]):
        return clause
    return ""


def _spoken_before(lead: str) -> bool:
    tail = lead[-CUE_CHARS:]
    return bool(words.SPEECH_VERBS.search(tail)) or tail.rstrip().endswith((":", "："))


def _said_after(follow: str) -> bool:
    return bool(words.SPEECH_VERBS.search(follow[:CUE_CHARS]))


def _is_dialogue(lead: str, follow: str, quoted: str, introduced: bool) -> bool:
    """`introduced`: a speech verb or a colon in the quotation's own sentence leads into it."""
    tail = lead[-CUE_CHARS:]
    if words.VOICE_OVER.search(lead):
        return True
    cue = words.LETTERING_CUES.search(tail) and not words.SPEECH_VERBS.search(tail)
    if cue and not _said_after(follow):
        return False
    # 「GOOD MORNING」と書かれている: what follows says it is written, not said.
    if words.LETTERING_CUES.search(follow[:CUE_CHARS]) and not _said_after(follow):
        return False
    if introduced or _said_after(follow) or follow.startswith("と"):
        # A sign "says" its words too: the speaker named is a thing that carries lettering.
        who = speaker_before(lead) if introduced else speaker_after(follow)
        return not words.LETTERING_SUBJECTS.search(who)
    # No verb either side: a short title-like quotation is lettering, a sentence is speech.
    ends_like_speech = quoted.rstrip()[-1:] in ".!?。！？…" if quoted.strip() else False
    return ends_like_speech or len(quoted.split()) > SHORT_LETTERING_WORDS


def _handles_in(text: str, handles: HandleIndex | None) -> list[str]:
    if handles is not None and len(handles):
        # An unknown mention (handle None) is named as written, as without a library.
        return ["@" + (m.handle or m.written) for m in find_mentions(text, handles)]
    return ["@" + found for found in HANDLE.findall(text)]


def _antecedent(before: str, handles: HandleIndex | None) -> str:
    """Whom a pronoun refers back to: the latest sentence before it that names someone."""
    for begin, end in reversed(sentences(before)):
        sentence = before[begin:end]
        named = _handles_in(sentence, handles)
        if named:
            return named[-1]
        name = subject(sentence)
        if name and not is_pronoun(name):
            return name
    return ""


def _same_sentence(text: str, quote: Quotation, lead: str) -> bool:
    """Is `lead` the start of the quotation's own sentence (ユキは「…」と言った)?"""
    at = quote.start  # the last mark before the quotation, spaces skipped (no copy of the text)
    while at and text[at - 1].isspace():
        at -= 1
    return bool(lead.strip()) and text[at - 1 : at] not in '.!?。！？」』”"’»'


def _speaker(text, quote, lead, follow, handles, previous_end, last_speaker, introduced) -> str:
    """Who says the quotation: a handle, the narrator, or the clause's subject (a pronoun
    referred back to the person last named, or to the last speaker)."""
    if introduced or not _said_after(follow):
        named = _handles_in(lead, handles)
        if named:
            return named[-1]
        if words.VOICE_OVER.search(lead):
            return "Narrator"
        name = speaker_before(lead)
    else:
        named = _handles_in(follow[:CUE_CHARS], handles)
        if named:
            return named[0]
        name = speaker_after(follow)
        if not name:
            # Japanese and Korean name the speaker before the quotation, the verb after it;
            # and `Tom turns. "Mara?" No answer.`: the one named just before.
            named = _handles_in(lead, handles)
            name = named[-1] if named else speaker_before(lead)
    if name and is_pronoun(name):
        region = text[previous_end : quote.start]
        # The pronoun refers to someone named before it: look there, latest first.
        bound = "" if CJK.search(name) else r"(?<!\w)"
        said = list(re.finditer(bound + re.escape(name) + bound.replace("<", ""), region, re.I))
        at = said[-1].start() if said else len(region)
        found = _antecedent(region[:at], handles) or last_speaker
        return found or name[:1].upper() + name[1:]
    return name or last_speaker or "Speaker"


def _delivery(lead: str, follow: str, from_lead: bool) -> str:
    notes = []
    voiced = words.VOICE_OVER.search(lead)
    if voiced and (inside := PARENTHESES.search(lead[voiced.start() :])):
        notes.append(inside.group(1).strip())
    # Delivery is read where the speech verb is: a sentence before `"…" she says` is narrative.
    near = (lead[-LEAD_CHARS:] + " " + follow[:CUE_CHARS]) if from_lead else follow
    for match in words.DELIVERY_PHRASE.finditer(near):
        phrase = match.group().strip()
        phrase = re.sub(r"^(?:with|in)\s+an?\s+", "", phrase, flags=re.IGNORECASE)
        if phrase and phrase not in notes:
            notes.append(phrase)
    said = (lead[-CUE_CHARS:] if from_lead else "") + " " + follow
    for verb in words.SPEECH_VERBS.findall(said):
        for stem, manner in words.VERB_DELIVERY.items():
            if verb.lower().startswith(stem) and manner not in notes:
                notes.append(manner)
    return ", ".join(notes)


def read_shot(
    text: str, handles: HandleIndex | None = None, last_speaker: str = ""
) -> tuple[ReadShot, str]:
    """The shot's lines, lettering and remaining narrative; and the last speaker named (for a
    "she says" in the next shot)."""
    shot = ReadShot(narrative="")
    keep, glued, at, previous_end = [], set(), 0, 0
    quotes = quotations(text)
    last_of_run = _last_of_runs(text, quotes)
    follows: dict[int, str] = {}  # a run's quotations share what follows its last
    for index, quote in enumerate(quotes):
        lead = _lead(text, quote, previous_end)
        last = last_of_run[index]
        if last not in follows:
            follows[last] = _follow(text, quotes, last)
        follow = follows[last]
        region_start, previous_end = previous_end, quote.end
        # A verb in the sentence before (`Mara whispers. "…", dice María.`) does not lead in.
        same_sentence = _same_sentence(text, quote, lead)
        introduced = _spoken_before(lead) and same_sentence
        # `"We're closed," the bartender says`: the comma belongs to the sentence, not the line.
        said = " ".join(quote.text.split()).rstrip(",，、")
        if not said or not _is_dialogue(lead, follow, quote.text, introduced):
            if said:
                shot.lettering.append(" ".join(quote.text.split()))
            continue
        speaker = _speaker(
            text, quote, lead, follow, handles, region_start, last_speaker, introduced
        )
        last_speaker = speaker
        from_lead = introduced or not _said_after(follow) or same_sentence
        shot.lines.append(
            Line(
                speaker=speaker,
                text=said,
                language=detect_language(said),
                delivery=_delivery(lead, follow, from_lead),
                voice_over=bool(words.VOICE_OVER.search(lead)),
            )
        )
        keep.append(text[at : quote.start])
        at = quote.end
        particle = QUOTATIVE.match(text, at)
        if particle:
            glued.add(len(keep) - 1)
            at = particle.end()
    keep.append(text[at:])
    shot.narrative = tidy(keep, glued)
    return shot, last_speaker


def tidy(pieces: list[str], glued: set[int] = frozenset()) -> str:
    """The narrative around removed dialogue: each cut ends its clause cleanly, except where the
    sentence goes on past a quotative particle (`glued`)."""
    out = ""
    for index, piece in enumerate(pieces):
        if index:
            piece = re.sub(r"^[\s,，:：、]+", " ", piece)  # `"Hola", dice María` → "Dice María"
        if index < len(pieces) - 1 and index not in glued:
            piece = TRAILING_BREAK.sub("", piece)
            if piece and piece[-1] not in ".!?。！？":
                piece += "。" if _ideographic(piece[-5:]) else "."
        elif index in glued:
            out += piece
            continue
        if index - 1 in glued:  # the sentence goes on after the particle: no space, no stop
            out += piece
            continue
        if out and piece.strip() and _ideographic(out[-1]) and _ideographic(piece.lstrip()[0]):
            out += piece.lstrip()  # Chinese and Japanese put no space between sentences
            continue
        out += piece if not out or out.endswith((" ", "\n")) or not piece else " " + piece.lstrip()
    out = SPACE_BEFORE_MARK.sub(r"\1", out)
    out = re.sub(r"([.!?。！？])\s*[.。]+", r"\1", out)
    out = " ".join(out.split()).strip()
    # A sentence the cut left starting in lower case (`"…" she whispers.`) starts in capitals.
    out = re.sub(r"(^|[.!?]\s)([a-zà-ÿ])", lambda m: m.group(1) + m.group(2).upper(), out)
    return out


def _ideographic(text: str) -> bool:
    """Chinese or Japanese (written without spaces, with 。), not Korean."""
    return any(CJK.match(c) and not "\uac00" <= c <= "\ud7af" or c in "。！？" for c in text)
