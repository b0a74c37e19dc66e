"""The words bench/gencorpus.py writes with: what a municipality's minutes
are about (committees, themes, titles, decisions, names, places, budget
areas), the sentence patterns, and the vocabulary drawn from corpus/ and the
dictionary with Zipf-like frequencies.  Python 3's standard library only.
"""

import bisect
import hashlib
import os
import re
import sys

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
