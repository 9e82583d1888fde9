package dev.gputracker.worker.scrape.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("robots.txt parsing and matching (RFC 9309)")
class RobotsTxtTest {

  @Nested
  @DisplayName("groups")
  class Groups {

    @Test
    @DisplayName("the group naming our product token applies, case-insensitively, instead of '*'")
    void ownGroup() {
      RobotsTxt robots =
          RobotsTxt.parse(
              """
          User-agent: *
          Disallow: /

          User-agent: gpu-tracker
          Disallow: /cart
          """);

      assertThat(robots.isAllowed("GPU-Tracker", "/search?q=4090")).isTrue();
      assertThat(robots.isAllowed("GPU-Tracker", "/cart/add")).isFalse();
      assertThat(robots.isAllowed("OtherBot", "/search")).isFalse();
    }

    @Test
    @DisplayName(
        "consecutive user-agent lines share one group, and groups naming us twice are merged")
    void sharedAndMergedGroups() {
      RobotsTxt robots =
          RobotsTxt.parse(
              """
          User-agent: foo
          User-agent: GPU-Tracker/2.0
          Disallow: /a

          User-agent: bar
          Disallow: /b

          user-agent: GPU-Tracker
          disallow: /c
          """);

      assertThat(robots.isAllowed("GPU-Tracker", "/a")).isFalse();
      assertThat(robots.isAllowed("GPU-Tracker", "/b")).isTrue();
      assertThat(robots.isAllowed("GPU-Tracker", "/c")).isFalse();
      assertThat(robots.isAllowed("foo", "/a")).isFalse();
      assertThat(robots.isAllowed("foo", "/c")).isTrue();
    }

    @Test
    @DisplayName(
        "no matching group and no '*' group allows everything; rules before any user-agent are ignored")
    void noGroup() {
      RobotsTxt robots = RobotsTxt.parse("Disallow: /\nUser-agent: other\nDisallow: /\n");

      assertThat(robots.isAllowed("GPU-Tracker", "/anything")).isTrue();
    }

    @Test
    @DisplayName(
        "comments, blank lines, sitemap and crawl-delay lines, a BOM and CRLF do not break parsing")
    void noise() {
      RobotsTxt robots =
          RobotsTxt.parse(
              "\uFEFF# hello\r\nUser-agent: * # everyone\r\nCrawl-delay: 10\r\n"
                  + "Sitemap: https://example.com/sitemap.xml\r\n\r\nDisallow: /tmp # scratch\r\nnonsense line\r\n");

      assertThat(robots.isAllowed("GPU-Tracker", "/tmp/x")).isFalse();
      assertThat(robots.isAllowed("GPU-Tracker", "/tmpl")).isFalse();
      assertThat(robots.isAllowed("GPU-Tracker", "/other")).isTrue();
    }

    @Test
    @DisplayName("an empty Disallow allows everything")
    void emptyDisallow() {
      RobotsTxt robots = RobotsTxt.parse("User-agent: *\nDisallow:\n");

      assertThat(robots.isAllowed("GPU-Tracker", "/x")).isTrue();
    }
  }

  @Nested
  @DisplayName("matching")
  class Matching {

    @Test
    @DisplayName("the longest matching rule wins, and allow wins a tie")
    void longestMatch() {
      RobotsTxt robots =
          RobotsTxt.parse(
              """
          User-agent: *
          Disallow: /shop
          Allow: /shop/gpus
          Disallow: /shop/gpus/used
          Allow: /page
          Disallow: /page
          """);

      assertThat(robots.isAllowed("x", "/shop/cpus")).isFalse();
      assertThat(robots.isAllowed("x", "/shop/gpus/rtx-4090")).isTrue();
      assertThat(robots.isAllowed("x", "/shop/gpus/used/1")).isFalse();
      assertThat(robots.isAllowed("x", "/page")).isTrue();
    }

    @Test
    @DisplayName("'*' matches any run of characters, including in the query")
    void wildcards() {
      RobotsTxt robots =
          RobotsTxt.parse(
              """
          User-agent: *
          Disallow: /*?sort=
          Disallow: /item/*/reviews
          """);

      assertThat(robots.isAllowed("x", "/search?q=gpu&sort=price")).isTrue();
      assertThat(robots.isAllowed("x", "/search?sort=price")).isFalse();
      assertThat(robots.isAllowed("x", "/item/123/reviews/2")).isFalse();
      assertThat(robots.isAllowed("x", "/item/123/specs")).isTrue();
    }

    @Test
    @DisplayName("'$' anchors the end of the path")
    void endAnchor() {
      RobotsTxt robots =
          RobotsTxt.parse(
              """
          User-agent: *
          Disallow: /*.pdf$
          Disallow: /exact$
          """);

      assertThat(robots.isAllowed("x", "/files/spec.pdf")).isFalse();
      assertThat(robots.isAllowed("x", "/files/spec.pdf?download=1")).isTrue();
      assertThat(robots.isAllowed("x", "/exact")).isFalse();
      assertThat(robots.isAllowed("x", "/exactly")).isTrue();
    }

    @Test
    @DisplayName(
        "percent-encoding is compared in RFC form: unreserved escapes decoded, non-ASCII encoded")
    void percentEncoding() {
      RobotsTxt robots =
          RobotsTxt.parse(
              """
          User-agent: *
          Disallow: /~joe
          Disallow: /café
          Disallow: /a%2fb
          """);

      assertThat(robots.isAllowed("x", "/%7Ejoe/page")).isFalse();
      assertThat(robots.isAllowed("x", "/caf%C3%A9/menu")).isFalse();
      assertThat(robots.isAllowed("x", "/a%2Fb")).isFalse();
      assertThat(robots.isAllowed("x", "/a/b")).isTrue();
    }

    @Test
    @DisplayName("/robots.txt is always allowed, even under Disallow: /")
    void robotsItself() {
      RobotsTxt robots = RobotsTxt.parse("User-agent: *\nDisallow: /\n");

      assertThat(robots.isAllowed("x", "/robots.txt")).isTrue();
      assertThat(robots.isAllowed("x", "/")).isFalse();
      assertThat(robots.isAllowed("x", "")).isFalse();
    }

    @Test
    @DisplayName("the blanket answers: allow-all for 4xx, disallow-all for unreachable")
    void blankets() {
      assertThat(RobotsTxt.ALLOW_ALL.isAllowed("x", "/anything")).isTrue();
      assertThat(RobotsTxt.DISALLOW_ALL.isAllowed("x", "/anything")).isFalse();
    }
  }

  @Test
  @DisplayName("the product token is the name part of a User-Agent")
  void productToken() {
    assertThat(RobotsTxt.productToken("GPU-Tracker/0.1 (price research bot; respects robots.txt)"))
        .isEqualTo("GPU-Tracker");
    assertThat(RobotsTxt.productToken("Mozilla/5.0 (X11; Linux x86_64)")).isEqualTo("Mozilla");
    assertThat(RobotsTxt.productToken("my_bot")).isEqualTo("my_bot");
  }

  @Test
  @DisplayName("pathological wildcard patterns still answer quickly")
  void manyStars() {
    RobotsTxt robots = RobotsTxt.parse("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*b\n");

    assertThat(robots.isAllowed("x", "/" + "a".repeat(5000))).isTrue();
    assertThat(robots.isAllowed("x", "/" + "a".repeat(5000) + "b")).isFalse();
  }
}
