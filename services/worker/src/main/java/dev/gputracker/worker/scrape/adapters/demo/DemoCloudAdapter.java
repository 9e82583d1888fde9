package dev.gputracker.worker.scrape.adapters.demo;

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
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the JSON offers of the built-in demo cloud ({@code DemoMarketplace}): GPUs for rent by the
 * hour, in USD.
 */
public final class DemoCloudAdapter implements SourceAdapter {

  @Override
  public String name() {
    return "demo-cloud";
  }

  @Override
  public ListingKind kind() {
    return ListingKind.RENTAL;
  }

  @Override
  public List<URI> startUrls(SourceConfig source) {
    return List.of(source.baseUrl().resolve("/cloud/offers?page=1"));
  }

  @Override
  public PageResult parse(FetchedPage page, SourceConfig source) throws PageParseException {
    JsonObject body;
    try {
      body = Buffer.buffer(page.body()).toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new PageParseException(
          "demo cloud offers at " + page.url() + " are not a JSON object", e);
    }
    JsonArray offers = body.getJsonArray("offers");
    if (offers == null) {
      throw new PageParseException(
          "demo cloud response at " + page.url() + " has no \"offers\" array");
    }
    List<ScrapedListing> listings = new ArrayList<>(offers.size());
    for (Object item : offers) {
      if (!(item instanceof JsonObject o)
          || o.getString("id") == null
          || o.getString("gpu_name") == null) {
        continue;
      }
      int count = Math.max(1, o.getInteger("num_gpus", 1));
      int vram = o.getInteger("gpu_ram_gb", 0);
      String title = count + "x " + o.getString("gpu_name") + (vram > 0 ? " " + vram + "GB" : "");
      ScrapedListing.Builder b =
          ScrapedListing.builder(o.getString("id"), title)
              .priceUnit(PriceUnit.HOUR)
              .gpuCount(count)
              .vramGb(vram > 0 ? BigDecimal.valueOf(vram) : null)
              .location(o.getString("location"))
              .seller(o.getString("host"));
      String price = o.getString("price_per_hour");
      if (price != null) {
        try {
          b.price(new BigDecimal(price), "USD");
        } catch (NumberFormatException e) {
          // Unknown rather than wrong.
        }
      }
      listings.add(b.build());
    }
    String next = body.getString("next");
    return new PageResult(listings, Optional.ofNullable(next).map(n -> page.url().resolve(n)));
  }
}
