package dev.gputracker.worker.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The goods of the built-in demo marketplace. The listings themselves are fixed (same ids, titles
 * and sellers on every start, so history accumulates across runs), while each start of the
 * marketplace is a new "market day": about a third of the prices move by 1-8 % and a few listings
 * are out of stock, so consecutive runs show price changes, removals and returns.
 */
public final class DemoInventory {
  /** A card for sale. */
  /** A card for sale; {@code gpu} is false for the accessories and PCs that only mention a GPU. */
  public record Card(
      String id,
      String title,
      BigDecimal price,
      String condition,
      String seller,
      String location,
      boolean sponsored,
      boolean gpu) {}

  /** GPU time for rent: {@code pricePerHour} is for the whole offer. */
  public record Offer(
      String id,
      String gpuName,
      int gpuCount,
      int vramGb,
      BigDecimal pricePerHour,
      String location,
      String host) {}

  private record Model(String chip, String memory, int basePrice, String series) {}

  private static final List<Model> MODELS =
      List.of(
          new Model("RTX 5090", "32GB GDDR7", 2199, "GeForce"),
          new Model("RTX 5080", "16GB GDDR7", 1099, "GeForce"),
          new Model("RTX 5070 Ti", "16GB GDDR7", 849, "GeForce"),
          new Model("RTX 5070", "12GB GDDR7", 579, "GeForce"),
          new Model("RTX 4090", "24GB GDDR6X", 1899, "GeForce"),
          new Model("RTX 4080 SUPER", "16GB GDDR6X", 1019, "GeForce"),
          new Model("RTX 4070 Ti SUPER", "16GB GDDR6X", 819, "GeForce"),
          new Model("RTX 4070", "12GB GDDR6X", 569, "GeForce"),
          new Model("RTX 4060 Ti", "8GB GDDR6", 399, "GeForce"),
          new Model("RTX 4060", "8GB GDDR6", 299, "GeForce"),
          new Model("RTX 3090", "24GB GDDR6X", 849, "GeForce"),
          new Model("RTX 3080", "10GB GDDR6X", 479, "GeForce"),
          new Model("RTX 3060", "12GB GDDR6", 289, "GeForce"),
          new Model("RX 7900 XTX", "24GB GDDR6", 949, "Radeon"),
          new Model("RX 7800 XT", "16GB GDDR6", 509, "Radeon"),
          new Model("RX 7600", "8GB GDDR6", 269, "Radeon"),
          new Model("Arc A770", "16GB GDDR6", 299, "Intel"));

  private static final String[][] PARTNERS = {
    {"ASUS", "TUF Gaming", "OC"},
    {"MSI", "Gaming X Trio", ""},
    {"Gigabyte", "WINDFORCE", "OC"},
    {"ZOTAC", "GAMING Trinity", "OC"},
    {"PNY", "XLR8 Gaming VERTO", "EPIC-X RGB"},
    {"EVGA", "FTW3 ULTRA", ""},
    {"Sapphire", "PULSE", ""},
    {"PowerColor", "Red Devil", ""},
    {"ASRock", "Challenger", "OC"}
  };

  private static final String[] NOT_GPUS = {
    "EK-Quantum Vector² water block for RTX 4090 FE",
    "LINKUP PCIe 4.0 x16 riser cable 20cm for RTX 4090 / 3090",
    "Gaming PC Ryzen 7 7800X3D 32GB DDR5 with GeForce RTX 4070",
    "Vertical GPU bracket support for RTX 3080 / 3090",
    "Gaming laptop 16\" RTX 4060 8GB i7-13650HX"
  };

  private static final String[] SELLERS = {
    "BitsAndChips", "GPU Outlet", "TechDeals", "PixelParts", "CardCorner"
  };
  private static final String[] LOCATIONS = {"US-CA", "US-TX", "US-NY", "US-WA", "US-FL"};

  private static final long CATALOG_SEED = 0x5EED_C0FFEEL;

  private final List<Card> cards;
  private final List<Offer> offers;

  private DemoInventory(List<Card> cards, List<Offer> offers) {
    this.cards = List.copyOf(cards);
    this.offers = List.copyOf(offers);
  }

  /** A market day drawn from {@code daySeed}: the same seed gives the same prices. */
  public static DemoInventory forDay(long daySeed) {
    Random fixed = new Random(CATALOG_SEED);
    Random day = new Random(daySeed);
    List<Card> cards = new ArrayList<>();
    int n = 0;
    for (Model model : MODELS) {
      int variants = 4 + fixed.nextInt(4);
      for (int v = 0; v < variants; v++) {
        String[] partner = partnerFor(model, fixed);
        String condition = fixed.nextInt(5) == 0 ? "used" : "new";
        double base =
            model.basePrice()
                * (0.92 + fixed.nextDouble() * 0.2)
                * (condition.equals("used") ? 0.78 : 1);
        String id = String.format("dm-%05d", ++n);
        String title = title(model, partner, condition, fixed);
        boolean sponsored = fixed.nextInt(12) == 0;
        String seller = SELLERS[fixed.nextInt(SELLERS.length)];
        String location = LOCATIONS[fixed.nextInt(LOCATIONS.length)];
        // The day's movement: drawn for every card, so the draw sequence (and thus the fixed data)
        // stays aligned.
        double move =
            day.nextDouble() < 0.35
                ? 1 + (day.nextBoolean() ? 1 : -1) * (0.01 + day.nextDouble() * 0.07)
                : 1;
        boolean outOfStock = day.nextInt(20) == 0;
        if (!outOfStock) {
          cards.add(
              new Card(
                  id, title, money(base * move), condition, seller, location, sponsored, true));
        }
      }
    }
    for (String accessory : NOT_GPUS) {
      String id = String.format("dm-%05d", ++n);
      cards.add(
          new Card(
              id,
              accessory,
              money(39 + fixed.nextInt(1400)),
              "new",
              SELLERS[fixed.nextInt(SELLERS.length)],
              LOCATIONS[fixed.nextInt(LOCATIONS.length)],
              false,
              false));
    }
    return new DemoInventory(cards, offers(fixed, day));
  }

  private static List<Offer> offers(Random fixed, Random day) {
    record Cloud(String name, int vram, double perGpuHour) {}
    List<Cloud> clouds =
        List.of(
            new Cloud("H100 SXM", 80, 2.49),
            new Cloud("H100 PCIe", 80, 2.19),
            new Cloud("A100 SXM4", 80, 1.39),
            new Cloud("A100 PCIe", 40, 0.99),
            new Cloud("L40S", 48, 0.89),
            new Cloud("RTX A6000", 48, 0.59),
            new Cloud("RTX 4090", 24, 0.39),
            new Cloud("RTX 3090", 24, 0.22),
            new Cloud("RTX 5090", 32, 0.69),
            new Cloud("H200", 141, 3.59));
    int[] counts = {1, 1, 2, 4, 8};
    List<Offer> offers = new ArrayList<>();
    int n = 0;
    for (Cloud cloud : clouds) {
      for (int i = 0; i < 4; i++) {
        int count = counts[fixed.nextInt(counts.length)];
        double perGpu = cloud.perGpuHour() * (0.85 + fixed.nextDouble() * 0.35);
        double move =
            day.nextDouble() < 0.4 ? 1 + (day.nextBoolean() ? 1 : -1) * day.nextDouble() * 0.1 : 1;
        String id = String.format("dc-%04d", ++n);
        offers.add(
            new Offer(
                id,
                cloud.name(),
                count,
                cloud.vram(),
                hourly(perGpu * count * move),
                LOCATIONS[fixed.nextInt(LOCATIONS.length)],
                "host-" + (100 + fixed.nextInt(900))));
      }
    }
    return offers;
  }

  private static String[] partnerFor(Model model, Random random) {
    int[] allowed =
        switch (model.series()) {
          case "Radeon" -> new int[] {6, 7, 8, 0, 2};
          case "Intel" -> new int[] {8};
          default -> new int[] {0, 1, 2, 3, 4, 5};
        };
    return PARTNERS[allowed[random.nextInt(allowed.length)]];
  }

  private static String title(Model model, String[] partner, String condition, Random random) {
    String chip =
        model.series().equals("GeForce")
            ? "GeForce " + model.chip()
            : model.series().equals("Radeon") ? "Radeon " + model.chip() : model.chip();
    String suffix = partner[2].isEmpty() ? "" : " " + partner[2];
    String title =
        partner[0]
            + " "
            + partner[1]
            + " "
            + chip
            + suffix
            + " "
            + model.memory()
            + " Graphics Card";
    if (condition.equals("used")) {
      title =
          (random.nextBoolean() ? "Used - " : "")
              + title
              + (random.nextBoolean() ? " (used, tested)" : "");
    }
    return title;
  }

  private static BigDecimal money(double value) {
    // Shop prices end in .99; the scale is fixed so the stored value is exactly what the page
    // shows.
    return BigDecimal.valueOf(Math.floor(value))
        .add(new BigDecimal("0.99"))
        .setScale(2, RoundingMode.UNNECESSARY);
  }

  private static BigDecimal hourly(double value) {
    return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN);
  }

  public List<Card> cards() {
    return cards;
  }

  public List<Offer> offers() {
    return offers;
  }
}
