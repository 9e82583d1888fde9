package dev.gputracker.worker.normalize;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a graphics card from what only mentions one, on cleaned titles (see {@link TitleCleaner}). English, German,
 * Polish and Bulgarian words, since those are the marketplaces' languages.
 */
final class RejectRules {
  /** Never a feature of a card: these titles sell something else whatever the word order. */
  private static final PhraseMatcher ACCESSORY = words(
      "water block", "waterblock", "wasserblock", "wasserkuhler", "wasserkuehler", "blok wodny", "riser",
      "extender", "extension cable", "power cable", "adapter cable", "cable adapter", "12 vhpwr", "12vhpwr", "12 v 2 x 6",
      "anti sag", "sag bracket", "gpu bracket", "support bracket", "gpu holder", "gpu support", "vertical mount",
      "vertical gpu", "graphics card holder", "graphics card support", "grafikkartenhalter", "grafikkartenstutze",
      "thermal pad", "thermal pads", "thermal paste", "waermeleitpad", "mining frame", "mining rig frame", "open air frame",
      "mouse pad", "mousepad", "keychain", "key chain", "sticker", "poster", "egpu", "enclosure", "docking station",
      "uchwyt", "wspornik", "podporka", "stojak", "halterung", "stutze", "replacement fan", "cooling fan",
      "fan replacement", "ersatzlufter", "wentylator do", "kabel do", "shroud", "led strip", "psu", "power supply",
      "zasilacz", "netzteil", "eisblock", "ek quantum", "quantum vector", "plexi", "cablemod", "90 degree");

  /** Words that mean an accessory only when they come before the model ("backplate ... for RTX 3080"). */
  private static final PhraseMatcher ACCESSORY_BEFORE_MODEL = words(
      "backplate", "fan", "fans", "cooler", "cooling", "heatsink", "cable", "kabel", "bracket", "stand", "cover",
      "kit", "block", "chlodzenie", "lufter", "kuhler", "mount", "case", "obudowa", "gehause",
      "compatible", "kompatibel", "passend", "pasuje", "fits");

  /** A whole computer with a GPU inside. */
  private static final PhraseMatcher COMPUTER = words(
      "gaming pc", "desktop pc", "pc gamer", "gamer pc", "gaming computer", "desktop computer", "computer set",
      "komputer", "zestaw komputerowy", "mining rig", "ready to mine", "pc zestaw", "gaming rechner", "rechner", "all in one", "mini pc",
      "laptop", "notebook", "ultrabook", "macbook", "laptop gpu", "mobile gpu", "lenovo legion",
      "elitebook", "probook", "thinkpad", "ideapad", "zenbook", "vivobook", "chromebook", "inspiron", "pavilion",
      "omen", "predator helios", "rog strix scar", "rog zephyrus", "tuf gaming f 15", "tuf gaming a 15", "nitro 5",
      "компютър", "лаптоп", "геймърски компютър");

  /** A computer's other parts: a CPU with RAM or storage in the same title. */
  private static final Pattern CPU = Pattern.compile(
      "\\b(ryzen [3579]|core i [3579]|i [3579] \\d{4,5}|xeon|celeron|pentium|threadripper)\\b");
  private static final Pattern RAM_OR_DISK = Pattern.compile(
      "\\b(\\d+ ?gb? (ram|ddr [345])|ddr [345]|ssd|nvme|hdd|\\d+ ?tb)\\b");

  /** Words that name the product a graphics card: they outweigh a passing mention of a computer. */
  private static final PhraseMatcher CARD_WORDS = words("graphics card", "graphic card", "video card", "videocard",
      "vga card", "grafikkarte", "karta graficzna", "видеокарта", "видео карта");

  /** The seller says it is not a working card. */
  private static final PhraseMatcher SUSPICIOUS = words(
      "box only", "only box", "empty box", "box without", "just the box", "original box only", "for parts",
      "parts only", "not working", "non working", "doesn t work", "does not work", "broken", "faulty", "defective",
      "defekt", "read description", "see description", "read desc", "as is", "no gpu", "no card", "untested",
      "artifacts", "artifacting", "for repair", "damaged", "повредена", "spares or repair", "na czesci", "uszkodzona", "uszkodzony",
      "pudelko", "samo pudelko", "nie dziala", "uszkodzone", "karton", "leerkarton", "ohne karte", "nur ovp",
      "за части", "счупена", "дефектна", "не работи", "само кутия", "кутия");

  private RejectRules() {}

  private static PhraseMatcher words(String... phrases) {
    return PhraseMatcher.of(phrases);
  }

  /** "RTX 3090 with EK water block": the accessory comes with the card, it is not what is sold. */
  private static final Pattern WITH = Pattern.compile("(?:with|w|mit|incl|including|inkl|plus|z|\\+) (?:\\S+ ){0,2}$");

  /** An accessory or a computer, judged with the position of the model mention (-1 when none). */
  static Optional<String> notAGpu(String cleaned, int modelStart) {
    for (PhraseMatcher.Match m = ACCESSORY.find(cleaned); m != null; m = ACCESSORY.find(cleaned, m.end())) {
      String before = cleaned.substring(Math.max(0, m.start() - 24), m.start());
      if (!(modelStart >= 0 && modelStart < m.start() && WITH.matcher(before).find())) {
        return Optional.of(m.phrase());
      }
    }
    boolean withComputerParts = CPU.matcher(cleaned).find() && RAM_OR_DISK.matcher(cleaned).find();
    if (withComputerParts) {
      return Optional.of("a CPU with RAM or storage");
    }
    PhraseMatcher.Match computer = COMPUTER.find(cleaned);
    if (computer != null && !CARD_WORDS.containsIn(cleaned)) {
      return Optional.of(computer.phrase());
    }
    PhraseMatcher.Match before = ACCESSORY_BEFORE_MODEL.find(cleaned);
    if (before != null && modelStart >= 0 && before.start() < modelStart) {
      return Optional.of(before.phrase());
    }
    return Optional.empty();
  }

  static Optional<String> suspicious(String cleaned) {
    PhraseMatcher.Match m = SUSPICIOUS.find(cleaned);
    return m == null ? Optional.empty() : Optional.of(m.phrase());
  }

  /** Words that say "graphics card" without naming a model. */
  private static final PhraseMatcher GPU_WORDS = words("rtx", "gtx", "geforce", "radeon", "rx", "quadro", "tesla", "arc",
      "graphics card", "video card", "grafikkarte", "karta graficzna", "gpu", "видеокарта", "видео карта",
      "instinct", "nvidia", "tesla", "gddr", "r 9", "r 7", "sapphire", "vram");

  /** Multi-Instance GPU: a slice of a data-centre GPU, not a whole one. */
  private static final PhraseMatcher MIG = words("mig");

  static boolean migSlice(String cleaned) {
    return MIG.containsIn(cleaned);
  }

  static boolean looksLikeGpu(String cleaned) {
    return GPU_WORDS.containsIn(cleaned);
  }
}
