"""Properties of the prompt director over generated prompts (Hypothesis).

A generated prompt is a run of shots, each opened by a shot marker or a framing sentence in one
of the five languages, holding narrative sentences and quoted lines in random languages, quote
styles and ways of naming the speaker, with or without a total. Whatever the prompt:

* every sequence holds at most 6 shots, each a whole number of seconds, at least 1, summing to
  3 to 15 s, or to the total asked for when that total is possible;
* every quoted line comes out exactly once, word for word, in order, with its speaker;
* direct() never raises, on any text at all, empty or very long.
"""

import string
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from director.direct import Direction, direct
from script.rules import MAX_SEQUENCE_SECONDS, MAX_SHOTS, MIN_SEQUENCE_SECONDS

# Modest example counts: the whole file runs in a few seconds.
STRUCTURED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ARBITRARY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words of the lines, per language. Some look like direction ("cut to", "one shot", "Shot 2:"):
# inside quotation marks they are dialogue and must neither cut nor forbid cuts.
# fmt: off
WORDS = {
    "en": ("the", "ferry", "won't", "run", "today", "we", "have", "all", "day", "cut", "to",
           "chase", "one", "shot", "close-up", "no", "cuts", "Shot", "2:", "it's", "late"),
    "es": ("el", "barco", "no", "sale", "hoy", "tenemos", "todo", "el", "día", "corte", "a",
           "plano", "secuencia", "ya", "está"),
    "zh": tuple("明天就要出海了一路平安我们走吧风来了切到特写"),
    "ja": (*"いらっしゃいありがとうまた明日行かないでこっちだ", "ワンカット"),
    "ko": ("나도", "같은", "걸로", "고마워", "가지", "마", "여기야", "왔어", "컷", "2"),
}
# fmt: on
SPACED = {"en", "es", "ko"}
ENDINGS = {"en": ["", ".", "!", "?"], "es": ["", ".", "!", "?"], "zh": ["", "。", "！", "？"]}
ENDINGS |= {"ja": ["", "。", "！"], "ko": ["", ".", "!", "?"]}
QUOTES = [("“", "”"), ('"', '"'), ("「", "」"), ("『", "』"), ("‘", "’"), ("«", "»"), ("'", "'")]
# Ways of introducing a line: (template, speaker as the director must name it).
# {q} is the quotation with its marks.
SPEAKERS = [
    ("@Mara says, {q}", "@Mara"),
    ("@Tomas replies: {q}", "@Tomas"),
    ("Pablo asks in a low, flat voice, {q}", "Pablo"),
    ("{q} Mara whispers.", "Mara"),
    ("The old captain mutters, {q}", "Old captain"),
    ("Lucía dice: {q}", "Lucía"),
    ("{q}, dice María.", "María"),
    ("老王说：{q}", "老王"),
    ("@小雨低声说：{q}", "@小雨"),
    ("ハナが{q}と言った。", "ハナ"),
    ("지수가 {q}라고 말했다.", "지수"),
]
NARRATIVE = [
    "Rain falls on the harbour.",
    "Gulls circle over the water",
    "La lluvia cae sobre el puerto.",
    "Un autobús pasa a lo lejos",
    "雨落在港口上。",
    "远处一辆公交车驶过。",
    "港に雨が降る。",
    "遠くをバスが通る。",
    "항구에 비가 내린다.",
    "멀리서 버스가 지나간다.",
    "At 2 seconds a door slams.",
]
# The project's handles, as the editor passes them (a CJK handle has no space after it).
HANDLES = ["Mara", "Tomas", "小雨"]
MARKERS = ["Shot {n}: ", "Plano {n}: ", "镜头{n}：", "ショット{n}：", "컷 {n}: ", "SHOT {n} - "]
FRAMINGS = [
    "Close-up of the harbour master. ",
    "Primer plano de la puerta. ",
    "特写，门把手。",
    "クローズアップ、時計の針。",
    "클로즈업, 시계 바늘. ",
    "Wide shot of the bay. ",
]


@dataclass
class Said:
    text: str
    speaker: str
    quoted: str  # with its quotation marks


@dataclass
class Generated:
    prompt: str
    shots: int
    lines: list[Said]


@st.composite
def quoted_lines(draw) -> tuple[str, Said]:
    language = draw(st.sampled_from(sorted(WORDS)))
    chosen = draw(st.lists(st.sampled_from(WORDS[language]), min_size=1, max_size=7))
    body = (" " if language in SPACED else "").join(chosen)
    text = body + draw(st.sampled_from(ENDINGS[language]))
    opening, closing = draw(st.sampled_from(QUOTES))
    template, speaker = draw(st.sampled_from(SPEAKERS))
    # A straight single quote quotes only after a space and before a space or a comma
    # (elsewhere it is an apostrophe): not in ハナが'…'と言った.
    # Nor around one character, as in rock 'n' roll.
    if opening == "'" and (
        len(text) < 2 or not (template.endswith(" {q}") or template.startswith("{q}"))
    ):
        opening, closing = "“", "”"
    quoted = f"{opening}{text}{closing}"
    return template.format(q=quoted), Said(text, speaker, quoted)


@st.composite
def shots(draw, number: int) -> tuple[str, list[Said]]:
    opener = draw(st.sampled_from(MARKERS + FRAMINGS))
    # A framing after the first shot opens a shot only as a sentence of its own.
    opener = opener.format(n=number) if number == 1 or "{n}" in opener else " " + opener
    parts, said = [opener], []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            sentence = draw(st.sampled_from(NARRATIVE))
            parts.append(sentence if sentence[-1] in ".。" else sentence + ".")
        else:
            words, line = draw(quoted_lines())
            parts.append(words)
            said.append(line)
    parts.append(draw(st.sampled_from(["", " ", "\n"])))
    return " ".join(parts), said


@st.composite
def prompts(draw) -> Generated:
    count = draw(st.integers(1, 9))
    texts, lines = [], []
    for number in range(1, count + 1):
        text, said = draw(shots(number))
        texts.append(text)
        lines.extend(said)
    return Generated("".join(texts), count, lines)


def check_sequences(direction: Direction, total: int | None) -> None:
    for sequence in direction.sequences:
        durations = [shot.duration for shot in sequence]
        assert 1 <= len(sequence) <= MAX_SHOTS
        assert all(isinstance(seconds, int) and seconds >= 1 for seconds in durations)
        assert MIN_SEQUENCE_SECONDS <= sum(durations) <= MAX_SEQUENCE_SECONDS


@STRUCTURED
@given(prompts(), st.one_of(st.none(), st.integers(1, 20)))
def test_generated_prompts_keep_every_line_once_in_order_with_valid_durations(generated, total):
    direction = direct(generated.prompt, total=total, handles=HANDLES)
    check_sequences(direction, total)
    lines = [line for shot in direction.shots for line in shot.dialogue]
    # Each quoted line exactly once, word for word, in order (a trailing comma is the
    # sentence's, not the line's), and each with the speaker its introduction names.
    assert [line.text for line in lines] == [said.text for said in generated.lines], generated
    speakers = [said.speaker for said in generated.lines]
    assert [line.speaker for line in lines] == speakers, generated
    assert not any(shot.lettering for shot in direction.shots), generated
    # Dialogue is taken out of the narrative, not left in it too.
    narrative = "\n".join(shot.text for shot in direction.shots)
    assert not any(said.quoted in narrative for said in generated.lines), generated
    # Markers and framings each open a shot; more than 6 shots make several sequences.
    assert len(direction.shots) == generated.shots, generated
    assert len(direction.sequences) >= -(-generated.shots // MAX_SHOTS)
    if len(direction.sequences) > 1:
        assert any("sequences" in message for message in direction.messages)


@STRUCTURED
@given(prompts(), st.integers(MIN_SEQUENCE_SECONDS, MAX_SEQUENCE_SECONDS))
def test_a_possible_total_is_honoured_exactly(generated, total):
    shortest = direct(generated.prompt, total=MIN_SEQUENCE_SECONDS)
    direction = direct(generated.prompt, total=total)
    if len(direction.sequences) != 1:
        return  # a total is for one sequence; several are each timed by their needs
    seconds = sum(shot.duration for shot in direction.shots)
    least = sum(shot.duration for shot in shortest.shots)
    if least <= total:
        assert seconds == total
        assert not any("asked for" in message for message in direction.messages)
    else:  # impossible: each shot gets what it needs, and the user is told
        assert seconds == least
        assert any(f"the {total} s asked for" in message for message in direction.messages)


@ARBITRARY
@given(st.text(), st.one_of(st.none(), st.integers(-5, 40)))
def test_any_text_is_directed_without_error(text, total):
    direction = direct(text, total=total)
    check_sequences(direction, total)
    if not text.strip():
        assert direction.sequences == []


PUNCTUATION = st.sampled_from(
    list("\"“”「」『』‘’«»'@:：.。!?！？,，、()（）\n ") + ["Shot 2:", "切到"]
)


@ARBITRARY
@given(st.lists(st.one_of(PUNCTUATION, st.text(string.ascii_letters, max_size=6)), max_size=60))
def test_quotes_and_markers_in_any_order_never_break_it(pieces):
    direction = direct("".join(pieces))
    check_sequences(direction, None)
    for shot in direction.shots:
        assert all(line.text for line in shot.dialogue)


@LONG
@given(st.text(min_size=1, max_size=300), prompts())
def test_very_long_prompts_are_directed(text, generated):
    prompt = (text + " " + generated.prompt) * (20_000 // (len(text) + len(generated.prompt)) + 1)
    direction = direct(prompt)
    check_sequences(direction, None)
    assert len(prompt) >= 20_000
