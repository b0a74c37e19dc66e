#!/usr/bin/env python3
"""Made-up council documents in the layouts of corpus/, for the tests and the benchmark.

    bench/gencorpus.py --meetings N --out DIR [--seed S] [--jobs J]
                       [--budget-every K] [--words FILE] [--corpus DIR]

Writes N meeting minutes (referater) into DIR/YEAR/: most as plain text like
corpus/direktionen-2025-10-06.txt, some as Markdown like
corpus/direktionen-2025-08-18.md, some as the text a PDF gives (lines that end
in a blank, words hyphenated at the line end, pages broken by empty lines),
and one file of budget remarks (budgetbemærkninger) per K meetings (default
50), as extracted from a PDF like corpus/budget-2024-oekonomiudvalget.txt.

The minutes have what the indexer reads in corpus/: the header, a table of
contents, "Punkt N: title", closed items ("Lukket: ", now and then in another
spelling), case numbers (some with a letter suffix, some recurring across
meetings), the sections Beslutning, Resume og sagens baggrund, Indstillinger,
Behandling, Sagsfremstilling (with sub-headings, lists, numbered lists and
tables), Økonomiske konsekvenser and Bilag, and decisions in the formulas the
decision facet reads ("Anbefales.", "Taget til efterretning.", ...).  The
budget remarks have areas with "Samlet nettobudget for området: N kr." and
Budgetgrundlag / Beskrivelse af området / Udvikling og udfordringer, lost
bullet glyphs and truncation hyphens ("pris- og lønfremskrevet").

Sentences are built from patterns written here, filled with words of three
kinds, each word drawn with a Zipf-like frequency (the r-th most frequent
about 1/r as often as the first): the themes and their words written here;
the words of corpus/ (most frequent first); and, for a vocabulary that grows
with the corpus as a real archive's does, the Danish word forms of
--words (default /usr/share/dict/danish, Debian's wdanish, GPL-2+; read, not
copied) that inflect or compound a corpus word, and new compounds of two.

The output depends only on the arguments, corpus/ and the word list: the
same arguments give the same bytes on any machine and for any --jobs.  The
last line says what was written, with a digest of the vocabulary it was drawn
from.  Python 3's standard library only.
"""

import argparse
import bisect
import datetime
import hashlib
import multiprocessing
import os
import random
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.normpath(os.path.join(HERE, "..", "corpus"))
DEFAULT_WORDS = "/usr/share/dict/danish"

# ---------------------------------------------------------------------------
# What a municipality's minutes are about
# ---------------------------------------------------------------------------

# Committees: (name, how often it meets relative to the others, rooms, size).
COMMITTEES = [
    ("Direktionen", 15, ["Direktionens kontor", "Mødelokale 8"], 4),
    ("Økonomiudvalget", 9, ["Byrådssalen", "Mødelokale 1"], 9),
    ("Kommunalbestyrelsen", 9, ["Byrådssalen"], 25),
    ("Socialudvalget", 7, ["Mødelokale 3", "Rådhuset, mødelokale 2"], 7),
    ("Teknik- og Miljøudvalget", 8, ["Mødelokale 4", "Rådhuset, mødelokale 5"], 7),
    ("Børn- og Familieudvalget", 7, ["Mødelokale 2", "Rådhuset, mødelokale 6"], 7),
    ("Ældre- og Sundhedsudvalget", 7, ["Mødelokale 5", "Plejecenter Nyvangsparken"], 7),
    ("Kultur- og Fritidsudvalget", 6, ["Mødelokale 6", "Kalundborg Bibliotek"], 7),
    ("Unge- og Beskæftigelsesudvalget", 6, ["Jobcentret, mødelokale 1", "Mødelokale 7"], 7),
    ("Klima- og Planudvalget", 4, ["Mødelokale 4"], 5),
    ("Integrationsudvalget", 3, ["Mødelokale 7"], 5),
    ("Handicaprådet", 2, ["Mødelokale 3"], 9),
    ("Hovedudvalget", 2, ["Mødelokale 1"], 11),
    ("Folkeoplysningsudvalget", 2, ["Kalundborg Hallerne"], 7),
    ("Beredskabskommissionen", 1, ["Vestsjællands Brandvæsen, Kalundborg"], 5),
]
FAGUDVALG = [c[0] for c in COMMITTEES if c[0].endswith("udvalget") and c[0] != "Økonomiudvalget"]

# Themes: (what a title calls it, its words; "_" joins the words of a term).
# A case keeps its theme; the words of an item come from its theme more often
# than from anywhere else.
THEMES = [
    ("hjemløsestrategi", "hjemløse hjemløshed hjemløsestrategien hjemløseindsatsen boligindsats "
     "Housing_First "
     "hjemløsekoordinator herberg forsorgshjem gadeteam"),
    ("beredskabsplan for sårbare borgere", "beredskab beredskabsplan beredskabsplanen "
     "beredskabsplaner "
     "nødstrøm forsyningsnedbrud krisestyring sårbare evakuering 3_dages_beredskabsplan"),
    ("budgetopfølgning", "budgetopfølgning budgetopfølgningen merforbrug mindreforbrug "
     "serviceudgifter servicerammen afvigelser korrigeret budgettet"),
    ("budgetlægning", "budget budgetforslag budgetlægningen budgetseminar budgetforlig "
     "budgetrammer prioriteringer budgetaftale udvidelser"),
    ("regnskab og overførsler", "regnskab regnskabet årsregnskab overførsler overførslerne "
     "revisionsberetning revisionen likviditet kassebeholdning"),
    ("renovering af svømmehallen", "svømmehallen renovering anlægsbevilling anlægsmidler "
     "totalrådgiver licitation byggeprojekt tidsplan"),
    ("lokalplan for boligområde", "lokalplan lokalplanen lokalplanforslaget boligområde "
     "bebyggelse "
     "byggefelter friarealer høringssvar parcelhuse"),
    ("kommuneplantillæg", "kommuneplantillæg kommuneplanen rammeområde erhvervsområde "
     "miljøvurdering arealudlæg planstrategi zonetilladelse"),
    ("skolestruktur", "skole skoler folkeskolen skolestruktur skoledistrikter elevtal klasser "
     "elever "
     "kapacitet skolebestyrelser overbygning"),
    ("inklusion i folkeskolen", "inklusion specialundervisning specialklasser trivsel "
     "elevtrivsel undervisningsmiljø skolefravær folkeskolen"),
    ("dagtilbudsstruktur", "dagtilbud daginstitutioner vuggestuer børnehaver dagpleje "
     "minimumsnormeringer pladser pasningsgaranti"),
    ("hjemmepleje og ældreplan", "hjemmepleje hjemmehjælp ældreområdet visitation "
     "værdighedspolitik ældreplan madservice plejeboliger"),
    ("plejecentre og demens", "plejecentre plejecentret plejehjem demens demensvenlig "
     "pårørende beboere plejepersonale ventelisten"),
    ("sundhedsreform og sundhedsråd", "sundhedsreformen sundhedsråd sundhedsrådet "
     "sundhedsklynge sundhedsaftale almen_praksis regionen"),
    ("rusmiddelindsats", "rusmiddelindsats rusmiddelbehandling misbrug forebyggelse "
     "alkohol hash unge behandlingsgaranti"),
    ("Fællesskaber for alle", "fællesskaber inklusion foreningslivet frivillige "
     "handicappolitik borgere_med_særlige_behov"),
    ("frivilligstrategi", "frivillige frivilligstrategien foreninger civilsamfund "
     "frivilligcenter frivillighed foreningslivet"),
    ("integration og danskuddannelse", "integration integrationsindsats flygtninge "
     "sprogskole danskuddannelse sprogcenter selvforsørgelse"),
    ("beskæftigelsesplan", "beskæftigelse beskæftigelsesplan beskæftigelsesindsats ledige "
     "jobcentret sygedagpenge kontanthjælp virksomhedspraktik"),
    ("fleksjob og ressourceforløb", "fleksjob ressourceforløb rehabiliteringsteamet "
     "førtidspension jobafklaring sygemeldte"),
    ("klimaplan", "klima klimaplan klimaplanen klimatilpasning CO2-udledning klimahandleplan "
     "oversvømmelse kystbeskyttelse"),
    ("affaldsplan", "affald affaldsplan affaldsordning genbrugspladser sortering genanvendelse "
     "renovation storskrald"),
    ("spildevandsplan", "spildevand spildevandsplan kloakering separatkloakering "
     "regnvand forsyningen renseanlæg"),
    ("vandløb og grundvand", "vandløb vandløbsregulativ grundvand drikkevand vandplan "
     "vandindvinding okker"),
    ("trafiksikkerhedsplan", "trafiksikkerhed trafiksikkerhedsplan cykelstier skoleveje "
     "hastighedsdæmpning fortove krydsninger"),
    ("kollektiv trafik", "kollektiv_trafik busruter busbetjening flextur Movia "
     "køreplan buskort"),
    ("vejvedligeholdelse og vintertjeneste", "veje vejvedligeholdelse vintertjeneste "
     "asfalt belægninger vejbelysning glatførebekæmpelse"),
    ("salg af kommunale ejendomme", "ejendomme ejendomssalg udbud mindstepris "
     "grunde byggegrunde købsaftale"),
    ("energirenovering af bygninger", "energi energirenovering energibesparelser "
     "solceller varmepumper bygninger vedligeholdelse"),
    ("digitaliseringsstrategi", "digitalisering digitaliseringsstrategi it-systemer "
     "selvbetjening robotter kunstig_intelligens"),
    ("informationssikkerhed", "informationssikkerhed cybersikkerhed databeskyttelse "
     "persondata sikkerhedshændelser NIS2"),
    ("administrationsprogrammet", "administrationsprogrammet besparelser effektivisering "
     "udmøntning administration stillinger"),
    ("rekruttering og fastholdelse", "rekruttering fastholdelse arbejdskraft medarbejdere "
     "sygefravær arbejdsmiljø trivselsmåling"),
    ("lederkonference", "lederkonference lederkonferencen ledere ledelse ledelsesudvikling "
     "ledermøde"),
    ("kulturstrategi", "kultur kulturstrategi kulturlivet bibliotekerne kulturhuse "
     "musikskolen museer"),
    ("idrætsfaciliteter", "idræt idrætsfaciliteter haltider hallerne lokalefordeling "
     "foreninger kunstgræsbane"),
    ("landdistriktspulje", "landdistrikter landdistriktspuljen landsbyer lokalråd "
     "forsamlingshuse landsbyfornyelse"),
    ("turisme og erhverv", "turisme turismestrategi overnatninger erhvervsudvikling "
     "erhvervsservice virksomheder iværksættere"),
    ("havneudvidelse", "havnen havneudvidelse kajanlæg erhvervshavn færgeleje "
     "containerterminal"),
    ("handicappolitik", "handicap handicappolitik tilgængelighed hjælpemidler "
     "borgere_med_handicap ledsagelse"),
    ("botilbud og socialpsykiatri", "botilbud socialpsykiatri bosteder psykiatri "
     "bostøtte recovery misbrugsbehandling"),
    ("anbragte børn", "anbringelser anbragte_børn underretninger udsatte_børn plejefamilier "
     "børnehuset forebyggende_foranstaltninger"),
    ("tandpleje", "tandpleje tandplejen omsorgstandpleje overtandlæge tandklinikker"),
    ("genoptræning og rehabilitering", "genoptræning rehabilitering hverdagsrehabilitering "
     "træningscenter fysioterapeuter"),
    ("takster", "takster taksterne egenbetaling forældrebetaling gebyrer "
     "takstblad"),
    ("styrelsesvedtægt", "styrelsesvedtægten konstituering udvalgsformand mødeplan "
     "kommunalbestyrelsens_forretningsorden"),
    ("notatpligt og journalisering", "notatpligt journalisering Ankestyrelsen "
     "redegørelse sagsbehandling partshøring"),
    ("vindmøller og solcelleparker", "vindmøller solcelleparker vedvarende_energi "
     "VE-anlæg naboer grøn_strøm"),
    ("varmeplan og fjernvarme", "fjernvarme varmeplan varmeplanlægning varmeforsyning "
     "naturgas fjernvarmeselskabet"),
    ("byudvikling i midtbyen", "byudvikling midtbyen byrum bykerne gågaden "
     "handelslivet byfornyelse"),
    ("boligsocial helhedsplan", "boligsocial helhedsplan almene_boliger boligområder "
     "boligselskaber beboere"),
    ("ungdomsuddannelse", "ungdomsuddannelse uddannelsesvejledning FGU unge "
     "erhvervsuddannelser uddannelsespålæg"),
    ("indkøbspolitik", "indkøb indkøbspolitik udbudsplan leverandører "
     "indkøbsaftaler samhandel"),
    ("risikostyring og forsikringer", "risikostyring forsikringer forsikringsaftale "
     "risikobilleder skader selvforsikring"),
    ("naturpleje og biodiversitet", "natur naturpleje biodiversitet naturpark "
     "naturområder græsning skovrejsning"),
]

TITLE_VERBS = [("Beslutning om", 14), ("Orientering om", 14), ("Godkendelse af", 10),
               ("Drøftelse af", 8), ("Status på", 6), ("Forslag til", 5), ("Opfølgning på", 5),
               ("Høring over", 3), ("Endelig vedtagelse af", 3), ("Evaluering af", 3),
               ("Temadrøftelse:", 2), ("Principbeslutning om", 2), ("Ansøgning om", 1),
               ("Frigivelse af anlægsmidler til", 2), ("Igangsættelse af", 2)]
CLOSED_VERBS = [("Beslutning om", 6), ("Orientering om", 6), ("Drøftelse af", 5),
                ("Udbud af", 3), ("Forhandling om", 2), ("Salg af", 2),
                ("Status og videre proces:", 2), ("Personalesag vedrørende", 1),
                ("Klagesag vedrørende", 1), ("Køb af areal til", 1)]
# The closed mark as the minutes mostly write it, and now and then otherwise
# (the indexer reads these too, and warns of them).
CLOSED_MARKS = [("Lukket: ", 400), ("Lukket punkt: ", 2), ("LUKKET - ", 1), ("(Lukket) ", 1)]

DECISIONS = [("Anbefales.", 22), ("Taget til efterretning.", 22), ("Godkendt.", 16),
             ("Drøftet.", 12), ("Indstillingen godkendt.", 8), ("Tiltrådt.", 3),
             ("Ikke godkendt.", 2), ("Udsat.", 2), ("Afvist.", 1), ("Vedtaget.", 2),
             ("Anbefales over for Kommunalbestyrelsen.", 3), (None, 8)]
NO_ECONOMY = ["Ingen.", "Ingen bevillingsmæssige konsekvenser.",
              "Sagen har ingen økonomiske konsekvenser.", "Der er ingen økonomiske konsekvenser."]
ROLES = ["Direktøren", "Stabschefen", "Sekretariatschefen", "Økonomichefen", "Fagcenterchefen",
         "Skolechefen", "Jobcenterchefen", "Ældrechefen", "Plan- og byggechefen",
         "Kultur- og fritidschefen", "Børne- og familiechefen", "Beredskabschefen",
         "Administrationen"]
ORGS = ["Jobcentret", "Fagcenter Børn og Familie", "Voksenspecialenheden", "Økonomistaben",
        "Social- og Boligstyrelsen", "KL", "Region Sjælland", "Vestsjællands Brandvæsen",
        "Kalundborg Forsyning", "Sundhedsstyrelsen", "Ankestyrelsen", "Plan, Byg og Miljø",
        "Vej, Ejendom og Affald", "Kultur og Fritid", "Borgerservice", "Digitalisering og IT",
        "Løn og Personale", "Sundhed og Ældre", "Fagcenter Børn, Læring og Uddannelse",
        "Handicaprådet", "Ældrerådet", "de faglige organisationer", "Erhvervshus Sjælland"]
TOWNS = ["Kalundborg", "Høng", "Gørlev", "Svebølle", "Ubby", "Jerslev", "Rørby", "Årby",
         "Store Fuglede", "Ulstrup", "Saltbæk", "Raklev", "Løve", "Bjerre", "Havrebjerg"]
ADJECTIVES = ["samlet", "fremtidig", "tværgående", "lovpligtig", "kommunal", "økonomisk",
              "særlig", "eksisterende", "ny", "styrket", "målrettet", "forebyggende",
              "sammenhængende", "helhedsorienteret", "digital", "grøn", "lokal", "overordnet",
              "midlertidig", "varig", "bæredygtig", "tidlig", "fælles", "langsigtet", "øget",
              "reduceret", "faglig", "politisk", "administrativ", "strategisk", "fleksibel",
              "koordineret", "systematisk", "tilstrækkelig", "betydelig", "mindre", "større",
              "vedvarende", "nuværende", "forventet"]

FIRST_NAMES = ["Anne", "Mette", "Jens", "Peter", "Søren", "Hanne", "Lars", "Kirsten", "Michael",
               "Henrik", "Susanne", "Thomas", "Lene", "Morten", "Camilla", "Rasmus", "Louise",
               "Jan", "Helle", "Niels", "Birgitte", "Martin", "Pia", "Anders", "Charlotte",
               "Jesper", "Tina", "Mads", "Karina", "Jakob", "Maria", "Ole", "Line", "Bo", "Gitte",
               "Kasper", "Dorthe", "Frederik", "Sanne", "Christian", "Helena", "Klaus", "Bente",
               "Ib", "Karen", "Asger", "Ditte", "Emil", "Ida", "Vibeke"]
MIDDLE_NAMES = ["", "", "", "", "Lysgaard ", "Ole ", "Marie ", "Bech ", "Kjær ", "Juul ",
                "Holm ", "Munk "]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
              "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
              "Thomsen", "Poulsen", "Johansen", "Møller", "Mortensen", "Gravesen", "Dahl",
              "Bach", "Lund", "Friis", "Mikkelsen", "Vestergaard", "Overgaard", "Brandt", "Skov",
              "Lauridsen", "Frederiksen", "Bundgaard", "Hviid", "van der Linden"]

# The areas of a budget file, and the pools every area of them has.
BUDGET_AREAS = ["Jobcenter", "Borgerservice", "Børn og Familie", "Ledelse, Jura og Kommunikation",
                "Kultur og Fritid", "Vej, Ejendom og Affald", "Plan, Byg og Miljø",
                "Vestsjællands Brandvæsen", "Dagtilbud", "Folkeskoler", "Ungdomsskolen",
                "Musikskolen", "Pædagogisk Psykologisk Rådgivning", "Sundhedspleje", "Tandplejen",
                "Hjemmeplejen", "Plejecentre", "Genoptræning", "Socialpsykiatri", "Botilbud",
                "Misbrugscentret", "Integration og Sprogcenter", "Biblioteker",
                "Idrætsfaciliteter", "Folkeoplysning", "Kollektiv trafik",
                "Veje og grønne områder", "Natur og Miljø", "Affald og Genbrug",
                "Kommunale ejendomme", "Erhverv og Turisme", "Digitalisering og IT",
                "Løn og Personale", "Økonomi", "Beredskab", "Forsyning og Klima"]
POOLS = ["Demografipulje – Børn- og Familieområdet", "Demografipulje - Ældreområdet",
         "Demografipulje - Voksenspecialområdet"]

WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]
FIRST_YEAR, LAST_YEAR = 2007, 2026

# Words that are not content: left out of the vocabulary drawn from corpus/.
FUNCTION_WORDS = set("""
af alle aldrig alt andre anden andet at bl blev bliver blot både da de dem den denne der deres
derfor det dette dig din disse dog du efter eftersom eller elles en end endnu er et evt for
fordi forud fra før få går har havde have heller her herunder hos hvad hvem hver hvilke
hvilken hvis hvor hvordan hvorfor i ikke ind inden ingen jf jo kan kl kr kun kunne man mange
med meget men mere mest mig min mio mod må måske ned nogen noget nogle nu når og også om op
os over pr på samt sig sin sine sit skal skulle som så til ud under ved var vi vil ville
vores være været øvrigt
""".split())

# The free sentences' grammar (see Writer.free_sentence): no agreement, but
# the words and their frequencies are a council's.  FREE_SHARE of the
# sentences are free, the others follow the patterns below.
FREE_SHARE = 0.5
DETERMINERS = ["", "", "den", "det", "en", "et", "de", "alle", "flere", "nye", "kommunens",
               "borgernes", "udvalgets", "denne", "samme"]
PREPOSITIONS = ["for", "til", "med", "i", "på", "om", "ved", "inden for", "i forhold til",
                "på tværs af", "i samarbejde med", "som følge af", "med fokus på",
                "i forbindelse med", "under", "efter", "gennem", "uden", "blandt"]
ACTIVE_VERBS = ["understøtter", "styrker", "omfatter", "indebærer", "sikrer", "forudsætter",
                "medfører", "påvirker", "reducerer", "øger", "udfordrer", "afløser",
                "supplerer",
                "erstatter", "finansierer", "koordinerer", "prioriterer", "vurderer", "beskriver",
                "fastlægger", "dækker", "rummer", "skaber", "forbedrer", "forenkler", "giver",
                "kræver", "viser", "belyser", "opretter", "udvider", "begrænser", "afvikler"]
PASSIVE_VERBS = ["vurderes", "forventes", "prioriteres", "udvikles", "tilpasses", "gennemføres",
                 "fastholdes", "afklares", "koordineres", "evalueres", "drøftes", "samles",
                 "beskrives", "forankres", "implementeres", "videreføres", "justeres",
                 "opgøres", "afrapporteres", "udbydes", "godkendes", "etableres", "udskydes",
                 "finansieres", "besluttes", "styrkes", "nedlægges", "revideres"]

# ---------------------------------------------------------------------------
# Sentence patterns.  {t} a word of the item's theme, {n} any content word,
# {a} an adjective, {T} the theme as a title names it, {org}/{org2} a unit or
# authority, {udv} a committee, {amt} an amount in millions, {kr} in kroner,
# {pct} a share, {num}/{num2} counts, {y0} {y} {y1} {y2} years around the
# meeting's, {date}/{date2} dates, {month} a month, {case} a case number,
# {town} a town, {person} a name.
# ---------------------------------------------------------------------------

BODY = [
    "{org} har siden {y0} arbejdet med {t} og {n} i tæt samarbejde med {org2}.",
    "Der er i budget {y} afsat {amt} til {t}, heraf {amt2} til {n}.",
    "Det forventede merforbrug på {amt} skyldes primært {n} og flere udgifter til {t}.",
    "Det samlede mindreforbrug udgør {amt}, svarende til {pct} af det korrigerede budget.",
    "Formålet med {T} er at sikre {a} {n} for borgere i hele kommunen.",
    "Administrationen vurderer, at {t} kan gennemføres inden for den eksisterende ramme.",
    "{udv} besluttede den {date} at igangsætte arbejdet med {t}, jf. sag {case}.",
    "I forhold til {n} er der behov for en {a} indsats, der også omfatter {t}.",
    "Indsatsen evalueres i {y1}, og resultaterne forelægges {udv}.",
    "Antallet af {t} er steget fra {num} i {y0} til {num2} i {y}.",
    "Der har været afholdt {num} møder med {org} om {t} og {n}.",
    "Planen bygger på {a} {n}, {n} og {t}, og den tager afsæt i {n}.",
    "{org} anbefaler, at {t} prioriteres i budgetlægningen for {y1}.",
    "Høringsperioden løber fra den {date} til den {date2}.",
    "Der er modtaget {num} høringssvar, som primært vedrører {n} og {t}.",
    "Kalundborg Kommune skal efter lovgivningen sikre {n} og en {a} {t}.",
    "Udgifterne til {t} finansieres inden for rammen og af puljen til {n}.",
    "Der forventes en {a} udvikling i {n} i de kommende år, særligt i {town}.",
    "Med {T} styrkes samarbejdet mellem {org} og {org2} om {n}.",
    "Sagen har været drøftet med {org}, som bakker op om {t}.",
    "Tidsplanen for {t} fremgår af bilag {small}.",
    "Det er administrationens vurdering, at {n} og {t} fortsat vil være en udfordring.",
    "På baggrund af erfaringerne med {n} foreslås det, at {t} udvides til {town}.",
    "Ændringen af {t} træder i kraft den {date}.",
    "Beløbet på {kr} er pris- og lønfremskrevet til {y}-niveau.",
    "Der er tale om en lovpligtig opgave, som kommunen varetager i samarbejde med {org}.",
    "{person} orienterede på mødet om status på {t}.",
    "Projektet gennemføres i perioden {y}-{y2} med en samlet ramme på {amt}.",
    "Ventetiden på {t} er nedbragt til {small} uger, mod {num} uger sidste år.",
    "Sygefraværet i {org} var {pct} i {month} {y}.",
    "Likviditeten pr. indbygger var {kr} ved udgangen af {month} {y}.",
    "Som det fremgår af opgørelsen, er forbruget på {t} {a} end forventet.",
    "Arbejdet med {t} er forankret i {org}, der koordinerer {n} på tværs af fagområderne.",
    "Forslaget indebærer en {a} {n} og en tydeligere prioritering af {t}.",
    "Ud over {t} omfatter opgaven {n}, {n} og {a} {n}.",
    "Erfaringerne fra {town} viser, at {n} har en positiv effekt på {t}.",
    "Der udarbejdes en handleplan for {t}, som forelægges {udv} i {month} {y}.",
    "Kommunen modtager et tilskud på {amt} fra {org} til {t} i {y} og {y1}.",
    "Status for {t} viser, at {num} ud af {num2} mål er opfyldt.",
    "Som led i {T} gennemføres en kortlægning af {n} og {n}.",
    "Udvalget fik på mødet den {date} en orientering om {t} og {n}.",
    "Borgerne oplever {a} {n}, og det er målet, at {t} fremover opleves som {a}.",
    "Efter {n} har {org} foreslået, at {t} indgår i den {a} planlægning.",
    "Det bemærkes, at {n} ikke er indregnet i prognosen for {t}.",
    "Udmøntningen af {t} sker i dialog med {org} og {org2}.",
    "Den nuværende aftale om {t} udløber den {date}, og der skal derfor tages stilling til {n}.",
    "Merudgiften til {n} kan henføres til flere borgere med behov for {t}.",
    "Der er i {y} ansat {small} medarbejdere til {t}, og yderligere {small} stillinger er "
    "slået op.",
    "Indstillingen om {t} er drøftet med {org}, som ikke har bemærkninger til den.",
    "Udvalget kan tiltræde indstillingen, hvis {n} indgår i den videre proces.",
]
ECONOMY = [
    "Udgiften på {amt} afholdes inden for {udv}s ramme i {y}.",
    "Der søges en tillægsbevilling på {amt} til {t}, finansieret af kassebeholdningen.",
    "Sagen medfører en varig merudgift på {kr} årligt fra {y1}.",
    "Anlægsudgiften på {amt} finansieres af anlægsrammen for {y}.",
    "Der forventes en besparelse på {amt} i {y1} stigende til {amt2} i {y2}.",
    "Mindreforbruget på {amt} overføres til {y1}.",
    "Udgifterne til {t} er indeholdt i det vedtagne budget for {y}.",
]
RECOMMEND = [
    "orienteringen om {t} tages til efterretning", "sagen drøftes", "{T} godkendes",
    "udvalget anbefaler {T} over for Økonomiudvalget og Kommunalbestyrelsen",
    "der gives en anlægsbevilling på {amt} til {t}", "der frigives {kr} til {t}",
    "administrationen udarbejder en handleplan for {t}",
    "finansieringen af {t} indgår i budgetlægningen for {y1}",
    "høringssvarene om {t} tages til efterretning", "{T} sendes i offentlig høring",
    "udvalget drøfter de anbefalede tiltag for {t}",
]
BUDGET_BODY = [
    "{org} har budgetansvar for {t} og {n} samt for {a} {n}.",
    "Området omfatter {t}, {n} og {n}, herunder {a} {n}.",
    "Budgettet dækker udgifter til {t} og {n} for borgere i hele kommunen.",
    "I {y} forventes et pres på {t} som følge af flere borgere med behov for {n}.",
    "Der er indarbejdet en reduktion på {amt} årligt som følge af {n}.",
    "Udviklingen i {t} følges tæt, og der afrapporteres til {udv} ved budgetopfølgningerne.",
    "De seneste {small} år har udgifterne til {t} været stigende, og presset på {n} ventes at "
    "fortsætte.",
    "Der arbejdes målrettet med {t} og en {a} {n} i samarbejde med {org}.",
    "Med budgetaftalen for {y} er der afsat {amt} til {t} i {y} og {y1}.",
    "Herudover har {org} ansvaret for {n} og for driften af {t}.",
]
BUDGET_BASIS = ("Budgettet er et rammebudget. Forudsætninger for budgettet er udarbejdet på "
                "baggrund af budgetoverslag for {y}, og pris- og lønfremskrevet i forhold til "
                "KL's vejledning.")

# ---------------------------------------------------------------------------
# The vocabulary
# ---------------------------------------------------------------------------


def stable_rank_key(word):
    """A machine-independent order for the dictionary words (Python's hash is not)."""
    return hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()


class Zipf:
    """Draws from WORDS, the r-th (from 0) with weight 1 / (r + 2.7)."""

    def __init__(self, words):
        self.words = words
        self.cum = []
        total = 0.0
        for r in range(len(words)):
            total += 1.0 / (r + 2.7)
            self.cum.append(total)
        self.total = total

    def draw(self, rng):
        return self.words[bisect.bisect_left(self.cum, rng.random() * self.total)]


class Vocabulary:
    """The themes' words, corpus/'s content words and the dictionary's related forms."""

    def __init__(self, corpus_dir, words_file):
        counts = {}
        names = sorted(f for f in os.listdir(corpus_dir) if f.endswith((".txt", ".md")))
        if not names:
            sys.exit(f"gencorpus: no .txt or .md documents in {corpus_dir}")
        cases = set()
        for name in names:
            with open(os.path.join(corpus_dir, name), encoding="utf-8") as f:
                text = f.read()
                cases.update(re.findall(r"^\d\d-\d{6}[A-Z]?$", text, re.M))
                # Words written in lower case: names ("Kalundborg", "MitID") stay out.
                for w in re.findall(r"\b[a-zæøåé]+\b", text):
                    if len(w) >= 4 and w not in FUNCTION_WORDS:
                        counts[w] = counts.get(w, 0) + 1
        corpus_words = sorted(counts, key=lambda w: (-counts[w], w))
        # Its case numbers: now and then a made-up item is of one of those
        # cases, so that a search for a real case finds more than the corpus.
        self.cases = sorted(cases)
        self.themes = []
        for title, words in THEMES:
            self.themes.append((title, Zipf([w.replace("_", " ") for w in words.split()])))
        written = []
        for _, words in THEMES:
            written += [w for w in words.split() if w.isalpha() and w.islower()]
        head = list(dict.fromkeys(written[i] for i in range(0, len(written), 3)))
        head += [w for w in corpus_words if w not in head]
        # The dictionary's forms that inflect or compound a corpus word:
        # beginning with its first six letters, or ending in it.
        long_words = [w for w in corpus_words if len(w) >= 7]
        prefixes = {w[:6] for w in long_words}
        heads = {w for w in long_words}
        tail = []
        try:
            with open(words_file, encoding="utf-8") as f:
                for line in f:
                    w = line.strip()
                    if not re.fullmatch(r"[a-zæøå]{6,24}", w) or w in counts:
                        continue
                    if w[:6] in prefixes or any(w[k:] in heads for k in range(3, len(w) - 6)):
                        tail.append(w)
        except OSError as e:
            sys.exit(f"gencorpus: cannot read the word list {words_file}: {e.strerror} "
                     "(Debian's wdanish: tools/setup-debian.sh installs it)")
        tail.sort(key=stable_rank_key)
        self.head, self.tail = Zipf(head), Zipf(tail)
        # The first parts of new compounds: the corpus's long words.
        self.first_parts = Zipf(long_words[:800])
        self.sizes = (len(head), len(tail))
        digest = hashlib.blake2b(digest_size=6)
        for w in head + tail:
            digest.update(w.encode("utf-8") + b"\n")
        self.digest = digest.hexdigest()

    def content(self, rng, theme):
        """One content word: the theme's, a frequent one, a rarer form of the
        dictionary, or a new compound (most of the words seen once are)."""
        x = rng.random()
        if x < CONTENT_MIX[0]:
            return self.themes[theme][1].draw(rng)
        if x < CONTENT_MIX[1]:
            return self.head.draw(rng)
        if x < CONTENT_MIX[2]:
            return self.tail.draw(rng)
        first = self.first_parts.draw(rng)
        link = "s" if first[-1] not in "se" and rng.random() < 0.6 else ""
        return first + link + (self.tail if rng.random() < 0.5 else self.head).draw(rng)


# Where a content word comes from: the theme below the first share, the
# frequent words below the second, the dictionary below the third, else a
# new compound.  Chosen so that 1,000 meetings have about as many distinct
# words as the benchmark's earlier corpora.
CONTENT_MIX = (0.3, 0.68, 0.9)

VOCAB = None

# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def fmt_kr(v):
    return f"{v:,}".replace(",", ".")


def millions(rng):
    return f"{rng.lognormvariate(1.3, 1.3):.1f}".replace(".", ",") + " mio. kr."


def danish_date(d):
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def random_date(rng, year):
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def cap(s):
    return s[:1].upper() + s[1:]


class Writer:
    """Fills patterns for one document: its year, its theme, its own random numbers."""

    def __init__(self, rng, year, theme):
        self.rng, self.year, self.theme = rng, year, theme

    def fill(self, pattern, capital=True):
        rng, y = self.rng, self.year

        def slot(m):
            k = m.group(1)
            if k == "t":
                return VOCAB.themes[self.theme][1].draw(rng)
            if k == "n":
                return VOCAB.content(rng, self.theme)
            if k == "a":
                return rng.choice(ADJECTIVES)
            if k == "T":
                return THEMES[self.theme][0]
            if k in ("org", "org2"):
                return rng.choice(ORGS)
            if k == "udv":
                return rng.choice([c[0] for c in COMMITTEES])
            if k in ("amt", "amt2"):
                return millions(rng)
            if k == "kr":
                return fmt_kr(int(rng.lognormvariate(13.0, 1.6))) + " kr."
            if k == "pct":
                return f"{rng.uniform(0.5, 12.0):.1f}".replace(".", ",") + " %"
            if k in ("num", "num2"):
                return str(int(rng.lognormvariate(3.0, 1.0)) + 1)
            if k == "small":
                return str(rng.randint(2, 9))
            if k in ("y0", "y", "y1", "y2"):
                # Both offsets are drawn for every year, whichever it is:
                # the corpora measured in bench/RESULTS.md were made so.
                back, ahead = rng.randint(1, 4), rng.randint(2, 4)
                return str(y + {"y0": -back, "y": 0, "y1": 1, "y2": ahead}[k])
            if k in ("date", "date2"):
                return danish_date(random_date(rng, y + (k == "date2")))
            if k == "month":
                return rng.choice(MONTHS)
            if k == "case":
                return case_number(rng, y - rng.randint(0, 3))
            if k == "town":
                return rng.choice(TOWNS)
            if k == "person":
                return person(rng)
            raise KeyError(k)

        text = re.sub(r"\{(\w+)\}", slot, pattern)
        return cap(text) if capital else text

    def sentence(self, patterns=BODY):
        if patterns is not ECONOMY and self.rng.random() < FREE_SHARE:
            return self.free_sentence()
        return self.fill(self.rng.choice(patterns))

    def phrase(self):
        """A noun phrase: a determiner, perhaps an adjective, a content word."""
        rng = self.rng
        det = rng.choice(DETERMINERS)
        adj = rng.choice(ADJECTIVES) + " " if rng.random() < 0.35 else ""
        return f"{det} {adj}{VOCAB.content(rng, self.theme)}".lstrip()

    def free_sentence(self):
        """A sentence of the grammar below, most of its words content words."""
        rng = self.rng
        np1, np2 = self.phrase(), self.phrase()
        pp = f"{rng.choice(PREPOSITIONS)} {self.phrase()}"
        form = rng.randrange(5)
        if form == 0:
            s = f"{np1} {rng.choice(ACTIVE_VERBS)} {np2} {pp}"
        elif form == 1:
            s = f"{np1} {rng.choice(PASSIVE_VERBS)} {pp}"
            if rng.random() < 0.5:
                s += f", og {self.phrase()} {rng.choice(PASSIVE_VERBS)}"
        elif form == 2:
            s = f"der {rng.choice(PASSIVE_VERBS)} {np1} {pp}"
        elif form == 3:
            s = f"{pp} {rng.choice(ACTIVE_VERBS)} {np1} {np2}"
        else:
            lead = rng.choice(["vigtigt", "afgørende", "nødvendigt", "forventningen"])
            s = f"det er {lead}, at {np1} {rng.choice(ACTIVE_VERBS)} {np2} {pp}"
        if rng.random() < 0.3:
            s += f" {rng.choice(PREPOSITIONS)} {self.phrase()}"
        return cap(s) + "."

    def paragraph(self, lo, hi, patterns=BODY):
        return " ".join(self.sentence(patterns) for _ in range(self.rng.randint(lo, hi)))


def case_number(rng, year, suffix_chance=0.03):
    nr = f"{year % 100:02d}-{rng.randint(100, 19999):06d}"
    if rng.random() < suffix_chance:
        nr += rng.choice("ABCDEFGHKLMNPRS")
    return nr


def person(rng):
    return rng.choice(FIRST_NAMES) + " " + rng.choice(MIDDLE_NAMES) + rng.choice(LAST_NAMES)


def slug(name):
    s = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "", s)


# ---------------------------------------------------------------------------
# The plan: every meeting's committee, date, items and case numbers, made in
# one pass from the seed; each file is then written from its own part of it.
# ---------------------------------------------------------------------------


class Planner:
    def __init__(self, rng, layout):
        self.rng = rng
        self.layout = layout    # None: each meeting's own
        self.recent = []        # cases that may come back: (number, theme, title)
        self.members = {}       # (committee, election period) -> names
        self.used_numbers = set()

    def new_case(self, year):
        rng = self.rng
        if VOCAB.cases and rng.random() < 0.01:
            return rng.choice(VOCAB.cases)
        while True:
            nr = case_number(rng, year)
            if nr.upper() not in self.used_numbers:
                self.used_numbers.add(nr.upper())
                return nr

    def participants(self, committee, size, year):
        key = (committee, (year - 2006) // 4)
        if key not in self.members:
            names = []
            while len(names) < size:
                p = person(self.rng)
                if p not in names:
                    names.append(p)
            self.members[key] = names
        people = list(self.members[key])
        self.rng.shuffle(people)
        if len(people) > 4 and self.rng.random() < 0.5:
            people.pop()
        return people

    def title(self, theme, closed, year, date, committee):
        rng = self.rng
        if not closed and rng.random() < 0.05:
            q = rng.choice([(31, 3), (31, 5), (31, 8), (30, 9), (30, 11)])
            area = "Samlet for alle udvalg" if rng.random() < 0.5 else f"{committee}s eget område"
            return f"Budgetopfølgning pr. {q[0]}. {MONTHS[q[1] - 1]} {date.year} - {area}", 2
        verb = weighted(rng, CLOSED_VERBS if closed else TITLE_VERBS)
        t = f"{verb} {THEMES[theme][0]}"
        if rng.random() < 0.15:
            t += f" {year}"
        elif rng.random() < 0.1:
            t += f" i {rng.choice(TOWNS)}"
        return t, theme

    def item(self, date, committee, closed):
        rng = self.rng
        if self.recent and rng.random() < 0.3:
            # A case comes back to another meeting, mostly under its old title.
            back = int(min(len(self.recent), 300) * rng.random() ** 1.6)
            nr, theme, title = self.recent[-1 - back]
            if rng.random() > 0.6:
                title, theme = self.title(theme, closed, date.year, date, committee)
        else:
            theme = rng.randrange(len(THEMES))
            title, theme = self.title(theme, closed, date.year, date, committee)
            nr = self.new_case(date.year - (0 if rng.random() < 0.7 else rng.randint(1, 3)))
            self.recent.append((nr, theme, title))
            if len(self.recent) > 1500:
                del self.recent[:500]
        mark = weighted(rng, CLOSED_MARKS) if closed else ""
        return {"title": title, "case": nr, "closed": closed, "mark": mark, "theme": theme}

    def meeting(self, date, committee):
        rng = self.rng
        info = next(c for c in COMMITTEES if c[0] == committee)
        direktion = committee == "Direktionen"
        items = []
        if not direktion and rng.random() < 0.7:
            items.append({"standing": "agenda", "title": "Godkendelse af dagsorden"})
        n = max(3, min(22, round(rng.gauss(9.6, 3.0))))
        for _ in range(n):
            items.append(self.item(date, committee, rng.random() < (0.42 if direktion else 0.36)))
        if direktion:
            for t in ("Orientering om sager på vej til udvalgsbehandling",
                      "Orientering om sager på vej til Direktionen",
                      "Formidling af Direktionens drøftelser og beslutninger til organisationen"):
                items.append({"standing": "closed", "title": t, "mark": "Lukket: ",
                              "closed": True})
        elif rng.random() < 0.5:
            items.append({"standing": "news", "title": "Meddelelser"})
        items.append({"standing": "misc", "title": "Eventuelt"})
        x = rng.random()
        layout = self.layout or ("txt" if x < 0.8 else "md" if x < 0.92 else "pdf")
        return {"date": date.isoformat(), "committee": committee, "place": rng.choice(info[2]),
                "time": f"{rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 17])}:"
                        f"{rng.choice(['00', '00', '15', '30', '30'])}",
                "people": self.participants(committee, info[3], date.year), "items": items,
                "layout": layout, "rseed": rng.getrandbits(64)}


def plan(seed, n_meetings, budget_every, layout=None):
    rng = random.Random(f"kommunesoeg-gencorpus:{seed}")
    first = datetime.date(FIRST_YEAR, 1, 1).toordinal()
    last = datetime.date(LAST_YEAR, 12, 31).toordinal()
    dates = []
    while len(dates) < n_meetings:
        d = datetime.date.fromordinal(rng.randint(first, last))
        if d.weekday() < 5:
            dates.append(d)
    dates.sort()
    planner = Planner(rng, layout)
    weights = [(c[0], c[1]) for c in COMMITTEES]
    meetings, names = [], set()
    for d in dates:
        committee = weighted(rng, weights)
        m = planner.meeting(d, committee)
        # A committee that meets twice a day (in a large corpus) gets -2, -3.
        base = f"{d.year}/referat-{slug(committee)}-{d.isoformat()}"
        name, k = base, 1
        while name in names:
            k += 1
            name = f"{base}-{k}"
        names.add(name)
        m["name"] = name + (".md" if m["layout"] == "md" else ".txt")
        meetings.append(m)
    budgets = []
    if budget_every > 0:
        for j in range(n_meetings // budget_every):
            d = dates[min(len(dates) - 1, j * budget_every + budget_every // 2)]
            committee = rng.choice(["Økonomiudvalget"] + FAGUDVALG)
            budgets.append({"name": f"{d.year}/budget-{d.year}-{slug(committee)}-{j + 1}.txt",
                            "year": d.year, "committee": committee,
                            "rseed": rng.getrandbits(64)})
    return meetings, budgets


# ---------------------------------------------------------------------------
# Writing a meeting: blocks of (kind, text), then laid out as text, Markdown
# or the text a PDF gives.
# ---------------------------------------------------------------------------

def item_blocks(no, it, year, rng):
    """The blocks of one item: ('punkt', title), ('case', nr), ('section', name),
    ('sub', heading), ('par', text), ('list', [items]), ('numbered', [items]),
    ('table', [rows])."""
    mark = it.get("mark", "")
    out = [("punkt", f"Punkt {no}: {mark}{it['title']}")]
    standing = it.get("standing")
    if standing is None:
        out.append(("case", it["case"]))
    if it.get("closed"):
        return out
    if standing == "agenda":
        return out + [("section", "Beslutning"), ("par", "Godkendt.")]
    if standing == "misc":
        return out + [("section", "Beslutning"),
                      ("par", rng.choice(["Ingen bemærkninger.", "Intet."]))]
    theme = it.get("theme", rng.randrange(len(THEMES)))
    w = Writer(rng, year, theme)
    if standing == "news":
        out += [("section", "Beslutning"), ("par", "Taget til efterretning."),
                ("section", "Sagsfremstilling")]
        return out + [("par", w.paragraph(1, 3)) for _ in range(rng.randint(1, 3))]
    decision = weighted(rng, DECISIONS)
    if decision is None:
        decision = w.paragraph(1, 2)
    elif rng.random() < 0.2:
        decision += " " + w.sentence()
    out += [("section", "Beslutning"), ("par", decision), ("section", "Sagsfremstilling"),
            ("section", "Resume og sagens baggrund")]
    actor = rng.choice(["Administrationen", "Økonomistaben", "Fagcentret", "Sekretariatet",
                        "Forvaltningen", "Direktionen"])
    purpose = rng.choice(["til godkendelse", "til orientering", "til drøftelse",
                          "med henblik på beslutning"])
    out.append(("par", f"{actor} fremlægger sagen om {THEMES[theme][0]} {purpose}. "
                + w.paragraph(0, 3)))
    out.append(("section", "Indstillinger"))
    role = rng.choice(ROLES)
    if rng.random() < 0.25:
        picks = rng.sample(RECOMMEND, rng.randint(2, 4))
        out.append(("par", f"{role} indstiller, at"))
        out.append(("numbered", [w.fill(p, capital=False) + "." for p in picks]))
    else:
        clause = w.fill(rng.choice(RECOMMEND), capital=False)
        out.append(("par", f"{role} indstiller, at {clause}."))
    bodies = ["Direktionen"] if rng.random() < 0.8 else []
    bodies += sorted(rng.sample(FAGUDVALG, rng.randint(0, 3)), key=FAGUDVALG.index)
    bodies += ["Økonomiudvalget"] if rng.random() < 0.4 else []
    bodies += ["Kommunalbestyrelsen"] if rng.random() < 0.25 else []
    bodies = list(dict.fromkeys(bodies or ["Direktionen"]))
    out += [("section", "Behandling"), ("par", ", ".join(bodies) + ".")]
    if rng.random() < 0.85:
        out.append(("section", "Sagsfremstilling"))
        for _ in range(max(1, min(40, int(rng.lognormvariate(1.8, 0.7))))):
            x = rng.random()
            if x < 0.1:
                out.append(("sub", cap(VOCAB.content(rng, theme)) if rng.random() < 0.5
                            else cap(THEMES[rng.randrange(len(THEMES))][0])))
                out.append(("par", w.paragraph(1, 4)))
            elif x < 0.18:
                out.append(("list", [w.sentence() for _ in range(rng.randint(2, 6))]))
            elif x < 0.22:
                out.append(("par", w.sentence().rstrip(".") + ":"))
                out.append(("numbered", [w.sentence() for _ in range(rng.randint(2, 5))]))
            elif x < 0.24:
                out.append(("table", budget_table(rng, year)))
            else:
                out.append(("par", w.paragraph(2, 6)))
    out.append(("section", "Økonomiske konsekvenser"))
    if rng.random() < 0.5:
        out.append(("par", rng.choice(NO_ECONOMY)))
    else:
        out += [("par", w.paragraph(1, 2, ECONOMY)) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.7:
        out.append(("section", "Bilag"))
        for _ in range(rng.randint(1, 3)):
            y = rng.random()
            if y < 0.4:
                out.append(("par", f"{cap(THEMES[theme][0])} - bilag {rng.randint(1, 9)}"))
            elif y < 0.7:
                out.append(("par", f"Notat om {VOCAB.content(rng, theme)} {year}.pdf"))
            else:
                out.append(("par", f"{it['title'][:60]}.pdf"))
    return out


def budget_table(rng, year):
    head = "\t".join(["Kalundborg Kommune", f"Oprindeligt budget {year} (mio. kr.)",
                      f"Korrigeret budget {year} (mio. kr.)",
                      f"Forventet forbrug {year} (mio. kr.)",
                      "Afvigelse (mio. kr.)"])
    rows = [head]
    for label in ("Netto", "Indtægter", "Brutto"):
        sign = "-" if label == "Indtægter" else ""
        cells = [sign + f"{rng.lognormvariate(4, 1):.1f}".replace(".", ",") for _ in range(4)]
        rows.append(label + "\t" + "\t".join(cells))
    return rows


def toc_line(rng, text, page):
    if len(text) > 93:
        return f"{text[:93]}\t{page}" if rng.random() < 0.5 else f"{text[:94]}..\t{page}"
    return f"{text}.....\t{page}"


def render_meeting(m):
    rng = random.Random(m["rseed"])
    d = datetime.date.fromisoformat(m["date"])
    items = [item_blocks(no, it, d.year, rng) for no, it in enumerate(m["items"], 1)]
    toc, page = [], 3
    for it, blocks in zip(m["items"], items):
        toc.append(toc_line(rng, it.get("mark", "") + it["title"], page))
        page += 1 + sum(len(str(b[1])) for b in blocks) // 3500
    header = [f"REFERAT {m['committee']} d. {d.day:02d}-{d.month:02d}-{d.year}",
              f"{WEEKDAYS[d.weekday()]} d. {d.day:02d}. {MONTHS[d.month - 1]} {d.year} "
              f"kl. {m['time']}",
              m["place"], ", ".join(m["people"])]
    layout = m["layout"]
    if layout == "md":
        text = render_markdown(rng, header, toc, items)
    elif layout == "pdf":
        text = render_pdf_text(rng, header, toc, items)
    else:
        text = render_plain(header, toc, items)
    n_closed = sum(1 for it in m["items"] if it.get("closed"))
    return text, len(m["items"]), n_closed


def plain_block(kind, value):
    if kind == "list":
        return "\n".join("- " + x for x in value)
    if kind == "numbered":
        return "\n".join(f"{k}. {x}" for k, x in enumerate(value, 1))
    if kind == "table":
        return "\n".join(value)
    return value


def render_plain(header, toc, items):
    lines = ["", "", header[0], "", "Mødedato " + header[1], "", "Mødested " + header[2], "",
             "Mødedeltagere " + header[3], "", "Indholdsfortegnelse", ""] + toc + [""]
    blocks = [plain_block(k, v) for blocks in items for k, v in blocks]
    return "\n".join(lines) + "\n" + "\n\n".join(blocks) + "\n"


def render_markdown(rng, header, toc, items):
    """As corpus/direktionen-2025-08-18.md: headings of any level, bold or not."""
    def heading(text, level):
        bold = rng.random() < 0.7
        return "#" * level + " " + (f"**{text}**" if bold else text)

    out = ["", "", "# " + header[0], "", "**Mødedato** " + header[1], "",
           "**Mødested** " + header[2],
           "", "**Mødedeltagere** " + header[3], "", "## Indholdsfortegnelse", ""] + toc + [""]
    for blocks in items:
        for kind, value in blocks:
            if kind == "punkt":
                out += [heading(value, rng.choice([1, 2, 2, 2])), ""]
            elif kind in ("section", "sub"):
                out += [heading(value, rng.choice([2, 3])), ""]
            else:
                out += [plain_block(kind, value), ""]
    return "\n".join(out) + "\n"


# ---- the text a PDF gives ---------------------------------------------------

VOWELS = set("aeiouyæøåé")


def break_points(word):
    """Where a word may be hyphenated: between a consonant and the vowel after
    it, with a vowel before, and two letters at least on either side."""
    return [i for i in range(2, len(word) - 2)
            if word[i].lower() not in VOWELS and word[i + 1] in VOWELS and word[i].isalpha()
            and any(c in VOWELS for c in word[:i].lower())]


def wrap_pdf(rng, text, width):
    """Lines of at most WIDTH characters that end in a blank; a word that does
    not fit is hyphenated where it can be (most of the time)."""
    lines, cur = [], ""
    for word in text.split():
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            cut = None
            if word.isalpha() and len(word) >= 7 and rng.random() < 0.8:
                fits = [i for i in break_points(word) if len(cur) + 1 + i + 1 <= width]
                cut = fits[-1] if fits else None
            if cut:
                lines.append(f"{cur} {word[:cut]}-")
                cur = word[cut:]
            else:
                lines.append(cur + " ")
                cur = word
    lines.append(cur + rng.choice([" ", " ", "  "]))
    return lines


class PdfPage:
    """Lays lines out on pages: a page break is three empty lines, anywhere,
    also inside a paragraph (the indexer joins it again)."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = [""]
        self.room = rng.randint(44, 50)

    def put(self, line):
        if self.room == 0:
            self.lines += ["", "", ""]
            self.room = self.rng.randint(44, 50)
        self.lines.append(line)
        self.room -= 1

    def paragraph(self, text, width):
        for line in wrap_pdf(self.rng, text, width):
            self.put(line)
        self.put(" ")

    def bullet(self, text, width):
        """A list item whose glyph was lost: the first line starts with one space."""
        lines = wrap_pdf(self.rng, text, width - 1)
        self.put(" " + lines[0])
        for line in lines[1:]:
            self.put(line)
        self.put(" ")

    def heading(self, text):
        self.put(text + " ")


def render_pdf_text(rng, header, toc, items):
    width = rng.randint(88, 98)
    page = PdfPage(rng)
    page.heading(header[0])
    page.put(" ")
    # The header's lines are not wrapped: the indexer reads each as one line.
    for label, value in zip(("Mødedato", "Mødested", "Mødedeltagere"), header[1:]):
        page.put(f"{label} {value} ")
        page.put(" ")
    page.heading("Indholdsfortegnelse")
    for line in toc:
        page.put(line + " ")
    page.put(" ")
    for blocks in items:
        for kind, value in blocks:
            if kind in ("punkt", "case", "section", "sub"):
                page.heading(value)
                page.put(" ")
            elif kind == "list":
                for x in value:
                    page.bullet(x, width)
            elif kind == "numbered":
                for k, x in enumerate(value, 1):
                    page.paragraph(f"{k}. {x}", width)
            elif kind == "table":
                for row in value:
                    page.put(row + " ")
                page.put(" ")
            else:
                page.paragraph(value, width)
    return "\n".join(page.lines) + "\n"


def render_budget(b):
    """Budget remarks as corpus/budget-2024-oekonomiudvalget.txt: from a PDF."""
    rng = random.Random(b["rseed"])
    year = b["year"]
    width = rng.randint(90, 97)
    page = PdfPage(rng)
    page.heading(f"Bemærkninger - {b['committee']}")
    page.put(" ")
    areas = rng.sample(BUDGET_AREAS, rng.randint(8, 15)) + rng.sample(POOLS, rng.randint(0, 2))
    rng.shuffle(areas)
    for area in areas:
        w = Writer(rng, year, rng.randrange(len(THEMES)))
        page.put(area + rng.choice([" ", "  "]))
        page.put(" ")
        pool = area.startswith("Demografipulje")
        amount = rng.choice([5, 9, 10, 12]) * 1_000_000 if pool else \
            int(rng.lognormvariate(16.5, 1.0)) // 100 * 100
        page.put(f"Samlet nettobudget for området: {fmt_kr(amount)} kr. ")
        page.put(" ")
        if pool:
            page.paragraph(w.paragraph(1, 2, BUDGET_BODY), width)
            continue
        page.heading(rng.choice(["Budgetgrundlag", "Budgetgrundlag "]))
        page.paragraph(w.fill(BUDGET_BASIS), width)
        if rng.random() < 0.5:
            page.paragraph(w.paragraph(1, 2, BUDGET_BODY), width)
        for head in ("Beskrivelse af området", "Udvikling og udfordringer"):
            page.heading(head)
            for _ in range(rng.randint(2, 6)):
                if rng.random() < 0.2:
                    if rng.random() < 0.4:
                        page.heading(cap(VOCAB.themes[w.theme][1].draw(rng)))
                    for _ in range(rng.randint(2, 6)):
                        page.bullet(w.sentence(BUDGET_BODY + BODY), width)
                else:
                    page.paragraph(w.paragraph(1, 5, BUDGET_BODY + BODY), width)
    return "\n".join(page.lines) + "\n", len(areas)


# ---------------------------------------------------------------------------
# Running it
# ---------------------------------------------------------------------------

OUT = None


def start_worker(corpus_dir, words_file, out):
    global VOCAB, OUT
    if VOCAB is None:
        VOCAB = Vocabulary(corpus_dir, words_file)
    OUT = out


def write(name, text):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def work(task):
    kind, spec = task
    if kind == "meeting":
        text, n_items, n_closed = render_meeting(spec)
        return kind, write(spec["name"], text), n_items, n_closed
    text, n_areas = render_budget(spec)
    return kind, write(spec["name"], text), n_areas, 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--meetings", type=int, required=True, help="how many meeting minutes")
    ap.add_argument("--out", required=True, help="the directory to write (files in YEAR/)")
    ap.add_argument("--seed", default="1", help="the random seed (default 1)")
    ap.add_argument("--budget-every", type=int, default=50,
                    help="one file of budget remarks per this many meetings (default 50; 0: none)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes writing at once (the output is the same)")
    ap.add_argument("--layout", choices=["txt", "md", "pdf"],
                    help="every meeting in one layout (default: 80%% text, 12%% Markdown, "
                         "8%% from a PDF); the same meetings whichever")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="the documents whose words are used")
    ap.add_argument("--words", default=DEFAULT_WORDS,
                    help="the Danish word list (default: Debian's wdanish)")
    a = ap.parse_args()
    if a.meetings < 1:
        ap.error("--meetings needs at least 1")
    if a.jobs < 1:
        ap.error("--jobs needs at least 1")
    if a.budget_every < 0:
        ap.error("--budget-every needs 0 or more")
    started = time.monotonic()
    start_worker(a.corpus, a.words, a.out)
    meetings, budgets = plan(a.seed, a.meetings, a.budget_every, a.layout)
    os.makedirs(a.out, exist_ok=True)
    tasks = [("meeting", m) for m in meetings] + [("budget", b) for b in budgets]
    totals = {"meeting": 0, "budget": 0, "bytes": 0, "items": 0, "closed": 0, "areas": 0}

    def add(result):
        kind, size, n, closed = result
        totals[kind] += 1
        totals["bytes"] += size
        totals["items" if kind == "meeting" else "areas"] += n
        totals["closed"] += closed

    if a.jobs > 1 and len(tasks) > 1:
        with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
            for result in pool.imap_unordered(work, tasks, chunksize=32):
                add(result)
    else:
        for t in tasks:
            add(work(t))
    head, tail = VOCAB.sizes
    print(f"gencorpus: seed {a.seed}: {totals['meeting']} meetings with {totals['items']} items "
          f"({totals['closed']} closed) and {totals['budget']} budget files with "
          f"{totals['areas']} areas, {totals['bytes'] / 1e6:.1f} MB, in {a.out} "
          f"({time.monotonic() - started:.1f} s; vocabulary {head} + {tail} words, "
          f"digest {VOCAB.digest})")


if __name__ == "__main__":
    main()
