package dev.gputracker.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gputracker.shared.config.ConfigException;
import dev.gputracker.shared.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SourcesFileTest {
  private static final String FILE =
      """
      {
        "defaults": { "requests_per_second": 2, "obey_robots": true },
        "sources": [
          { "name": "shop-a", "adapter": "demo", "base_url": "https://a.example/", "page_limit": 3,
            "user_agent": ["UA-1", "UA-2"], "read_timeout_ms": 5000 },
          { "name": "bestbuy-ca", "adapter": "demo", "base_url": "https://b.example/", "enabled": false,
            "obey_robots": false, "proxy": "socks5://127.0.0.1:9050", "options": { "currency": "CAD" } }
        ]
      }
      """;

  @Test
  @DisplayName("sources get the file's defaults, their own settings, and adapter options")
  void parses() {
    List<SourceConfig> sources = SourcesFile.parse(FILE, "test", new Env(Map.of()));
    SourceConfig a = sources.get(0);
    assertThat(a.name()).isEqualTo("shop-a");
    assertThat(a.pageLimit()).isEqualTo(3);
    assertThat(a.enabled()).isTrue();
    assertThat(a.fetch().requestsPerSecond()).isEqualTo(2.0);
    assertThat(a.fetch().userAgents()).containsExactly("UA-1", "UA-2");
    assertThat(a.fetch().readTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a.fetch().proxy()).isEmpty();
    SourceConfig b = sources.get(1);
    assertThat(b.enabled()).isFalse();
    assertThat(b.fetch().obeyRobots()).isFalse();
    assertThat(b.fetch().proxy())
        .hasValueSatisfying(p -> assertThat(p.toString()).isEqualTo("socks5://127.0.0.1:9050"));
    assertThat(b.options().getString("currency")).isEqualTo("CAD");
  }

  @Test
  @DisplayName(
      "environment variables override a source's enabled flag, base URL and page limit, and set a global proxy")
  void environmentOverrides() {
    Env env =
        new Env(
            Map.of(
                "SOURCE_BESTBUY_CA_ENABLED",
                "true",
                "SOURCE_SHOP_A_BASE_URL",
                "http://127.0.0.1:9/",
                "SOURCE_SHOP_A_PAGE_LIMIT",
                "7",
                "SCRAPE_PROXY",
                "http://proxy.local:3128"));
    List<SourceConfig> sources = SourcesFile.parse(FILE, "test", env);
    assertThat(sources.get(0).baseUrl().toString()).isEqualTo("http://127.0.0.1:9/");
    assertThat(sources.get(0).pageLimit()).isEqualTo(7);
    assertThat(sources.get(0).fetch().proxy())
        .hasValueSatisfying(p -> assertThat(p.getHost()).isEqualTo("proxy.local"));
    assertThat(sources.get(1).enabled()).isTrue();
    assertThat(sources.get(1).fetch().proxy().orElseThrow().getScheme()).isEqualTo("socks5");
  }

  @Test
  @DisplayName("mistakes fail with one line that says where")
  void errors() {
    Env none = new Env(Map.of());
    assertThatThrownBy(() -> SourcesFile.parse("{", "f.json", none))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("f.json is not a JSON object");
    assertThatThrownBy(
            () ->
                SourcesFile.parse(
                    "{\"sources\":[{\"name\":\"x\",\"adapter\":\"demo\"}]}", "f.json", none))
        .hasMessage("f.json: sources[0]: \"base_url\" is required and must be a string");
    assertThatThrownBy(
            () ->
                SourcesFile.parse(
                    "{\"sources\":[{\"name\":\"x\",\"adapter\":\"demo\",\"base_url\":\"http://a/\",\"page_limit\":0}]}",
                    "f.json",
                    none))
        .hasMessage("f.json: sources[0]: \"page_limit\" must be an integer between 1 and 10000");
    assertThatThrownBy(
            () ->
                SourcesFile.parse(
                    FILE, "f.json", new Env(Map.of("SOURCE_SHOP_A_PAGE_LIMIT", "many"))))
        .hasMessage("SOURCE_SHOP_A_PAGE_LIMIT must be an integer, got 'many'");
    assertThatThrownBy(
            () ->
                SourcesFile.parse(
                    "{\"sources\":[{\"name\":\"x\",\"adapter\":\"demo\",\"base_url\":\"http://a/\",\"proxy\":\"ftp://p:1\"}]}",
                    "f.json",
                    none))
        .hasMessageContaining("proxy must be http://, socks4:// or socks5://host:port");
    assertThatThrownBy(
            () ->
                SourcesFile.parse(
                    "{\"sources\":[{\"name\":\"x\",\"adapter\":\"demo\",\"base_url\":\"http://a/\"},"
                        + "{\"name\":\"x\",\"adapter\":\"demo\",\"base_url\":\"http://b/\"}]}",
                    "f.json",
                    none))
        .hasMessage("f.json: two sources are named 'x'");
  }

  @Test
  @DisplayName("the built-in sources file loads")
  void builtIn() {
    assertThat(SourcesFile.load(new Env(Map.of())))
        .extracting(SourceConfig::name)
        .contains("demo", "demo-cloud");
  }
}
