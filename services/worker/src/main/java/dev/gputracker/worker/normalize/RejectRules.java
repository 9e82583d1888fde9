package dev.gputracker.worker.normalize;

import dev.gputracker.shared.domain.Condition;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells a graphics card from what only mentions one, on cleaned titles (see {@link TitleCleaner}).
 * English, German, Polish and Bulgarian words, since those are the marketplaces' languages.
 */
final class RejectRules {
  /** Never a feature of a card: these titles sell something else whatever the word order. */
  private static final PhraseMatcher ACCESSORY =
      words(
          "water block",
          "waterblock",
          "wasserblock",
          "wasserkuhler",
          "wasserkuehler",
          "blok wodny",
          "riser",
          "extender",
          "extension cable",
          "power cable",
          "adapter cable",
          "cable adapter",
          "12 vhpwr",
          "12vhpwr",
          "12 v 2 x 6",
          "anti sag",
          "sag bracket",
          "gpu bracket",
          "support bracket",
          "gpu holder",
          "gpu support",
          "vertical mount",
          "vertical gpu",
          "graphics card holder",
          "graphics card support",
          "grafikkartenhalter",
          "grafikkartenstutze",
          "thermal pad",
          "thermal pads",
          "thermal paste",
          "waermeleitpad",
          "mining frame",
          "mining rig frame",
          "open air frame",
          "mouse pad",
          "mousepad",
          "keychain",
          "key chain",
          "sticker",
          "poster",
          "egpu",
          "enclosure",
          "docking station",
          "uchwyt",
          "wspornik",
          "podporka",
          "stojak",
          "halterung",
          "stutze",
          "replacement fan",
          "cooling fan",
          "fan replacement",
          "ersatzlufter",
          "wentylator do",
          "kabel do",
          "shroud",
          "led strip",
          "psu",
          "power supply",
          "zasilacz",
          "netzteil",
          "eisblock",
          "ek quantum",
          "quantum vector",
          "plexi",
          "cablemod",
          "90 degree",
          "vodni blok",
          "vodnim chlazeni",
          "drzak graficke karty",
          "napajeci kabel",
          "водоблок",
          "водно охлаждане",
          "райзер",
          "държач за видеокарта",
          "захранване",
          "захранващ кабел");

  /**
   * Words that mean an accessory only when they come before the model ("backplate ... for RTX
   * 3080").
   */
  private static final PhraseMatcher ACCESSORY_BEFORE_MODEL =
      words(
          "backplate",
          "fan",
          "fans",
          "cooler",
          "cooling",
          "heatsink",
          "cable",
          "kabel",
          "bracket",
          "stand",
          "cover",
          "kit",
          "block",
          "chlodzenie",
          "lufter",
          "kuhler",
          "mount",
          "case",
          "obudowa",
          "gehause",
          "compatible",
          "kompatibel",
          "passend",
          "pasuje",
          "fits",
          "wentylator",
          "wentylatory",
          "chladic",
          "ventilator",
          "ventilatory",
          "drzak",
          "вентилатор",
          "вентилатори",
          "охладител",
          "охлаждане",
          "бекплейт",
          "кабел");

  /** A whole computer with a GPU inside. */
  private static final PhraseMatcher COMPUTER =
      words(
          "gaming pc",
          "desktop pc",
          "pc gamer",
          "gamer pc",
          "gaming computer",
          "desktop computer",
          "computer set",
          "komputer",
          "zestaw komputerowy",
          "mining rig",
          "ready to mine",
          "pc zestaw",
          "gaming rechner",
          "rechner",
          "all in one",
          "mini pc",
          "inspiron",
          "pavilion",
          "omen",
          "rig",
          "rigs",
          "koparka",
          "koparki",
          "koparka kryptowalut",
          "mining pc",
          "pocitac",
          "herni pocitac",
          "sestava",
          "tezebni rig",
          "компютър",
          "геймърски компютър",
          "ферма",
          "копачка",
          "майнинг риг",
          "риг");

  /**
   * A laptop or a laptop's GPU, whatever else the title says: nobody sells a desktop card under
   * these words.
   */
  private static final String[] LAPTOP_GPU_WORDS = {
    "laptop gpu", "notebook gpu", "mobile gpu", "max q", "mobile", "laptop graphics", "for laptops"
  };

  private static final Set<String> LAPTOP_GPU = Set.of(LAPTOP_GPU_WORDS);

  /** A laptop, unless the title says it sells a graphics card. */
  private static final String[] LAPTOP_WORDS = {
    "laptop",
    "laptops",
    "laptopa",
    "laptopie",
    "notebook",
    "notebooku",
    "ultrabook",
    "macbook",
    "lenovo legion",
    "legion 5",
    "legion 7",
    "legion pro",
    "elitebook",
    "probook",
    "thinkpad",
    "ideapad",
    "zenbook",
    "vivobook",
    "chromebook",
    "predator helios",
    "helios neo",
    "rog strix scar",
    "rog strix g 16",
    "rog zephyrus",
    "zephyrus",
    "rog flow",
    "tuf gaming f 15",
    "tuf gaming a 15",
    "tuf gaming f 17",
    "nitro 5",
    "nitro v",
    "katana",
    "razer blade",
    "alienware m",
    "alienware x",
    "msi stealth",
    "msi raider",
    "msi vector",
    "msi cyborg",
    "msi pulse",
    "msi sword",
    "aorus 15",
    "aorus 17",
    "victus",
    "dell g 15",
    "xps 15",
    "xps 17",
    "лаптоп",
    "лаптопа",
    "ноутбук"
  };

  /** Both lists in one matcher, with the GPU words first: one scan of the title finds either. */
  private static final PhraseMatcher LAPTOP = words(concat(LAPTOP_GPU_WORDS, LAPTOP_WORDS));

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /**
   * "Max-Q" is also the name of a desktop workstation card (RTX PRO 6000 Blackwell Max-Q
   * Workstation Edition).
   */
  private static final PhraseMatcher WORKSTATION_EDITION =
      words("workstation edition", "workstation");

  /** A computer's other parts: a CPU with RAM or storage in the same title. */
  private static final Pattern CPU =
      Pattern.compile(
          "\\b(ryzen [3579]|core i [3579]|i [3579] \\d{4,5}|xeon|celeron|pentium|threadripper)\\b");

  private static final Pattern RAM_OR_DISK =
      Pattern.compile("\\b(\\d+ ?gb? (ram|ddr [345])|ddr [345]|ssd|nvme|hdd|\\d+ ?tb)\\b");

  /** Words that name the product a graphics card: they outweigh a passing mention of a computer. */
  private static final PhraseMatcher CARD_WORDS =
      words(
          "graphics card",
          "graphic card",
          "video card",
          "videocard",
          "vga card",
          "grafikkarte",
          "karta graficzna",
          "graficka karta",
          "videokarta",
          "видеокарта",
          "видео карта",
          "графична карта");

  /** The seller says it is not a working card. */
  private static final PhraseMatcher SUSPICIOUS =
      words(
          "box only",
          "only box",
          "empty box",
          "box without",
          "just the box",
          "original box only",
          "for parts",
          "parts only",
          "not working",
          "non working",
          "doesn t work",
          "does not work",
          "broken",
          "faulty",
          "defective",
          "defekt",
          "read description",
          "see description",
          "read desc",
          "as is",
          "no gpu",
          "no card",
          "untested",
          "artifacts",
          "artifacting",
          "for repair",
          "damaged",
          "повредена",
          "spares or repair",
          "na czesci",
          "uszkodzona",
          "uszkodzony",
          "pudelko",
          "samo pudelko",
          "nie dziala",
          "uszkodzone",
          "karton",
          "leerkarton",
          "ohne karte",
          "nur ovp",
          "за части",
          "счупена",
          "дефектна",
          "не работи",
          "само кутия",
          "кутия");

  private RejectRules() {}

  private static PhraseMatcher words(String... phrases) {
    return PhraseMatcher.of(phrases);
  }

  /** "RTX 3090 with EK water block": the accessory comes with the card, it is not what is sold. */
  private static final Pattern WITH =
      Pattern.compile("(?:with|w|mit|incl|including|inkl|plus|z|\\+) (?:\\S+ ){0,2}$");

  /** What a title sells instead of a graphics card, and the words that say so. */
  record NotACard(RejectReason reason, String detail) {}

  /**
   * An accessory, a laptop or a computer, judged with the position of the model mention (-1 when
   * none). Accessories come first: a laptop's charger is an accessory, not a laptop.
   */
  static Optional<NotACard> notAGpu(PhraseMatcher.Scan scan, String cleaned, int modelStart) {
    for (PhraseMatcher.Match m = scan.find(I_ACCESSORY);
        m != null;
        m = scan.find(I_ACCESSORY, m.end())) {
      String before = cleaned.substring(Math.max(0, m.start() - 24), m.start());
      if (!(modelStart >= 0 && modelStart < m.start() && WITH.matcher(before).find())) {
        return notGpu(m.phrase());
      }
    }
    String laptop = null;
    for (PhraseMatcher.Match m = scan.find(I_LAPTOP); m != null; m = scan.find(I_LAPTOP, m.end())) {
      if (LAPTOP_GPU.contains(m.phrase())) {
        if (!(m.phrase().equals("max q") && scan.contains(I_WORKSTATION))) {
          return Optional.of(new NotACard(RejectReason.LAPTOP, m.phrase()));
        }
      } else if (laptop == null) {
        laptop = m.phrase();
      }
    }
    if (laptop != null && !scan.contains(I_CARD_WORDS)) {
      return Optional.of(new NotACard(RejectReason.LAPTOP, laptop));
    }
    boolean withComputerParts = CPU.matcher(cleaned).find() && RAM_OR_DISK.matcher(cleaned).find();
    if (withComputerParts) {
      return notGpu("a CPU with RAM or storage");
    }
    PhraseMatcher.Match computer = scan.find(I_COMPUTER);
    if (computer != null && !scan.contains(I_CARD_WORDS)) {
      return notGpu(computer.phrase());
    }
    PhraseMatcher.Match before = scan.find(I_BEFORE_MODEL);
    if (before != null && modelStart >= 0 && before.start() < modelStart) {
      return notGpu(before.phrase());
    }
    return Optional.empty();
  }

  private static Optional<NotACard> notGpu(String detail) {
    return Optional.of(new NotACard(RejectReason.NOT_A_GPU, detail));
  }

  /**
   * Words for used, new and refurbished in the marketplaces' languages, in one list: one scan of
   * the title.
   */
  private static final Map<String, Condition> CONDITION_WORDS = conditionWords();

  private static final PhraseMatcher CONDITION =
      words(CONDITION_WORDS.keySet().toArray(new String[0]));

  private static Map<String, Condition> conditionWords() {
    Map<String, Condition> m = new LinkedHashMap<>();
    for (String w :
        new String[] {"refurbished", "renewed", "odnowiona", "generaluberholt", "repasovana"}) {
      m.put(w, Condition.REFURBISHED);
    }
    for (String w :
        new String[] {
          "used",
          "second hand",
          "uzywana",
          "uzywany",
          "uzywane",
          "gebraucht",
          "употребявана",
          "употребяван",
          "употребявано",
          "pouzita",
          "pouzity",
          "pouzite",
          "bazar"
        }) {
      m.put(w, Condition.USED);
    }
    for (String w :
        new String[] {
          "new",
          "brand new",
          "sealed",
          "nowa",
          "nowy",
          "nowe",
          "fabrycznie nowa",
          "neu",
          "neuware",
          "ovp",
          "нова",
          "нов",
          "ново",
          "nova",
          "novy",
          "nove"
        }) {
      m.put(w, Condition.NEW);
    }
    return m;
  }

  /**
   * The condition a title states, or null: refurbished before used before new ("used like new" is
   * used).
   */
  static Condition condition(PhraseMatcher.Scan scan) {
    Condition found = null;
    for (PhraseMatcher.Match m = scan.find(I_CONDITION);
        m != null;
        m = scan.find(I_CONDITION, m.end())) {
      Condition c = CONDITION_WORDS.get(m.phrase());
      if (found == null || c.ordinal() > found.ordinal()) {
        found = c;
      }
    }
    return found;
  }

  static Optional<String> suspicious(PhraseMatcher.Scan scan) {
    PhraseMatcher.Match m = scan.find(I_SUSPICIOUS);
    return m == null ? Optional.empty() : Optional.of(m.phrase());
  }

  /** Words that say "graphics card" without naming a model. */
  private static final PhraseMatcher GPU_WORDS =
      words(
          "rtx",
          "gtx",
          "gt",
          "geforce",
          "radeon",
          "rx",
          "quadro",
          "tesla",
          "arc",
          "graphics card",
          "video card",
          "grafikkarte",
          "karta graficzna",
          "graficka karta",
          "videokarta",
          "gpu",
          "видеокарта",
          "видео карта",
          "графична карта",
          "instinct",
          "nvidia",
          "gddr",
          "r 9",
          "r 7",
          "r 5",
          "hd",
          "sapphire",
          "vram",
          "cmp",
          "firepro");

  /** Multi-Instance GPU: a slice of a data-centre GPU, not a whole one. */
  private static final PhraseMatcher MIG = words("mig");

  static boolean migSlice(PhraseMatcher.Scan scan) {
    return scan.contains(I_MIG);
  }

  static boolean looksLikeGpu(PhraseMatcher.Scan scan) {
    return scan.contains(I_GPU_WORDS);
  }

  /** Every list above, scanned in one pass per title ({@link #scan}); the indexes name them. */
  private static final int I_ACCESSORY = 0;

  private static final int I_LAPTOP = 1;
  private static final int I_COMPUTER = 2;
  private static final int I_CARD_WORDS = 3;
  private static final int I_BEFORE_MODEL = 4;
  private static final int I_SUSPICIOUS = 5;
  private static final int I_CONDITION = 6;
  private static final int I_MIG = 7;
  private static final int I_WORKSTATION = 8;
  private static final int I_GPU_WORDS = 9;
  private static final PhraseMatcher.Group GROUP =
      new PhraseMatcher.Group(
          ACCESSORY,
          LAPTOP,
          COMPUTER,
          CARD_WORDS,
          ACCESSORY_BEFORE_MODEL,
          SUSPICIOUS,
          CONDITION,
          MIG,
          WORKSTATION_EDITION,
          GPU_WORDS);

  /** The title's phrases for every rule above, found in one pass. */
  static PhraseMatcher.Scan scan(String cleaned) {
    return GROUP.scan(cleaned);
  }
}
