package dev.gputracker.worker.scrape.fetch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks the User-Agent of each fetch: the honest default, or round-robin through a source's own
 * list.
 */
final class UserAgents {

  private final String fallback;
  private final Map<List<String>, AtomicLong> turns = new ConcurrentHashMap<>();

  UserAgents(String fallback) {
    this.fallback = fallback;
  }

  /**
   * The default agent names the bot and its version (from the jar manifest's Implementation-Version
   * when the worker runs from its jar) and says it obeys robots.txt, so site owners know who is
   * calling.
   */
  static String defaultAgent() {
    String version = Fetcher.class.getPackage().getImplementationVersion();
    return "GPU-Tracker/"
        + (version == null || version.isBlank() ? "0.1" : version)
        + " (price research bot; respects robots.txt)";
  }

  /** The agent for the next fetch; sources sharing one list share its rotation. */
  String next(List<String> agents) {
    if (agents.isEmpty()) {
      return fallback;
    }
    long turn = turns.computeIfAbsent(agents, k -> new AtomicLong()).getAndIncrement();
    return agents.get((int) Math.floorMod(turn, (long) agents.size()));
  }
}
