package dev.gputracker.worker.scrape.adapters.vastai;

import dev.gputracker.shared.domain.ListingKind;
import dev.gputracker.shared.domain.PriceUnit;
import dev.gputracker.worker.config.SourceConfig;
import dev.gputracker.worker.scrape.PageParseException;
import dev.gputracker.worker.scrape.PageResult;
import dev.gputracker.worker.scrape.SourceAdapter;
import dev.gputracker.worker.scrape.fetch.FetchedPage;
import dev.gputracker.worker.scrape.model.ScrapedListing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vast.ai offer searches (GPU time for rent), in both shapes seen in the wild: the full {@code
 * --raw} search (an array, or {@code {"offers": [...]}}, about a hundred fields per offer) and a
 * cut-down one with only {@code gpu_name}, {@code gpu_ram}, {@code num_gpus} and {@code dph_total}.
 *
 * <p>{@code dph_total} is dollars per hour for the whole offer (all its GPUs), which is what the
 * listing's price is; the per-GPU figure is {@code price / gpu_count}. {@code gpu_ram} is MB per
 * GPU. Offers marked not rentable are left out: they cannot be had now. The cut-down shape carries
 * no offer id, so its ids are derived from the offer's model, GPU count and memory plus its
 * position among identical offers, stable as long as the search is.
 */
public final class VastAiAdapter implements SourceAdapter {

  @Override
  public String name() {
    return "vastai";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.RENTAL;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    JsonArray offers = offers(page);
    List<ScrapedListing> listings = new ArrayList<>(offers.size());
    Map<String, Integer> seenShapes = new HashMap<>();
    for (Object item : offers) {
      if (!(item instanceof JsonObject o)
          || !(o.getValue("gpu_name") instanceof String gpu)
          || !(o.getValue("dph_total") instanceof Number dph)) {
        continue;
      }
      if (Boolean.FALSE.equals(o.getValue("rentable"))) {
        continue;
      }
      int count = o.getValue("num_gpus") instanceof Number n ? Math.max(1, n.intValue()) : 1;
      Number ramMb = o.getValue("gpu_ram") instanceof Number r ? r : null;
      String shape = gpu + "|" + count + "|" + (ramMb == null ? "" : ramMb.longValue());
      String id =
          o.getValue("id") instanceof Number n
              ? Long.toString(n.longValue())
              : shape.replace('|', '-').replace(' ', '_')
                  + "-"
                  + seenShapes.merge(shape, 1, Integer::sum);
      ScrapedListing.Builder b =
          ScrapedListing.builder(id, title(count, gpu, ramMb))
              .priceUnit(PriceUnit.HOUR)
              .gpuCount(count)
              .price(new BigDecimal(dph.toString()).setScale(4, RoundingMode.HALF_EVEN), "USD");
      if (ramMb != null) {
        b.vramGb(
            BigDecimal.valueOf(ramMb.longValue())
                .divide(BigDecimal.valueOf(1024), 1, RoundingMode.HALF_EVEN));
      }
      if (o.getValue("geolocation") instanceof String where) {
        b.location(where);
      }
      if (o.getValue("host_id") instanceof Number host) {
        b.seller("host " + host.longValue());
      }
      listings.add(b.build());
    }
    return PageResult.of(listings);
  }

  /**
   * "8x A100 SXM4 80GB": memory in marketing gigabytes (Vast reports what the driver sees, a little
   * less).
   */
  static String title(int count, String gpu, Number ramMb) {
    String title = count + "x " + gpu;
    if (ramMb != null && ramMb.longValue() > 0) {
      long gb = (long) Math.ceil(ramMb.doubleValue() / 1024 / 2) * 2;
      title += " " + gb + "GB";
    }
    return title;
  }

  private static JsonArray offers(FetchedPage page) throws PageParseException {
    Object root;
    try {
      root = Json.decodeValue(Buffer.buffer(page.body()));
    } catch (DecodeException e) {
      throw new PageParseException(
          "Vast.ai response at " + page.url() + " is not JSON: " + e.getMessage(), e);
    }
    if (root instanceof List<?> list) {
      root = new JsonArray(new ArrayList<>(list));
    } else if (root instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      root = new JsonObject(fields);
    }
    if (root instanceof JsonArray a) {
      return a;
    }
    if (root instanceof JsonObject o && o.getValue("offers") instanceof JsonArray a) {
      return a;
    }
    throw new PageParseException("Vast.ai response at " + page.url() + " has no offers array");
  }
}
