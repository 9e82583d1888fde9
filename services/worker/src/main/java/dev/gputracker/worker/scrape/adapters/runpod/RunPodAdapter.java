package dev.gputracker.worker.scrape.adapters.runpod;

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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * RunPod's GraphQL {@code gpuTypes} answer: each GPU type is up to two offers, the secure cloud and
 * the community cloud, priced in dollars per GPU-hour; a price of 0 (or none) means that cloud does
 * not offer it. The placeholder type {@code unknown} is skipped.
 *
 * <p>The live API is a GraphQL POST; the engine fetches with GET, so point the source at a saved or
 * proxied JSON answer (the base URL is fetched as is).
 */
public final class RunPodAdapter implements SourceAdapter {

  @Override
  public String name() {
    return "runpod";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.RENTAL;
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    JsonArray types = types(page);
    List<ScrapedListing> listings = new ArrayList<>();
    for (Object item : types) {
      if (!(item instanceof JsonObject t)
          || !(t.getValue("id") instanceof String id)
          || id.equals("unknown")) {
        continue;
      }
      BigDecimal memory =
          t.getValue("memoryInGb") instanceof Number m && m.doubleValue() > 0
              ? new BigDecimal(m.toString())
              : null;
      offer(listings, id, memory, "secure", t.getValue("securePrice"));
      offer(listings, id, memory, "community", t.getValue("communityPrice"));
    }
    return PageResult.of(listings);
  }

  private static void offer(
      List<ScrapedListing> out, String id, BigDecimal memory, String cloud, Object price) {
    if (!(price instanceof Number p) || p.doubleValue() <= 0) {
      return;
    }
    out.add(
        ScrapedListing.builder(id + ":" + cloud, id + " · " + cloud + " cloud")
            .price(new BigDecimal(p.toString()), "USD")
            .priceUnit(PriceUnit.HOUR)
            .gpuCount(1)
            .vramGb(memory)
            .seller("RunPod " + cloud + " cloud")
            .build());
  }

  private static JsonArray types(FetchedPage page) throws PageParseException {
    try {
      JsonObject root = Buffer.buffer(page.body()).toJsonObject();
      JsonObject data = root.getJsonObject("data");
      JsonArray types = data == null ? null : data.getJsonArray("gpuTypes");
      if (types == null) {
        throw new PageParseException(
            "RunPod response at "
                + page.url()
                + " has no data.gpuTypes"
                + (root.containsKey("errors") ? ": " + root.getValue("errors") : ""));
      }
      return types;
    } catch (DecodeException | ClassCastException e) {
      throw new PageParseException(
          "RunPod response at " + page.url() + " is not a GraphQL JSON answer", e);
    }
  }
}
