package dev.gputracker.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Whose X-Forwarded-For is believed, and which address in it is the client. */
class TrustedProxiesTest {
  private final TrustedProxies proxies =
      TrustedProxies.parse("10.0.0.0/8, 100.64.0.0/10, fd00::/8, 192.0.2.7");

  @Test
  @DisplayName(
      "from a peer that is not a trusted proxy the header is ignored: the socket address is the client")
  void untrustedPeer() {
    assertThat(proxies.client("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
    assertThat(TrustedProxies.NONE.client("10.1.2.3", List.of("198.51.100.1")))
        .isEqualTo("10.1.2.3");
  }

  @Test
  @DisplayName(
      "from a trusted proxy the client is the right-most forwarded address that is not a trusted proxy")
  void trustedPeer() {
    assertThat(proxies.client("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
    assertThat(proxies.client("10.1.2.3", List.of("6.6.6.6, 198.51.100.1, 100.64.1.1")))
        .isEqualTo("198.51.100.1");
    assertThat(proxies.client("10.1.2.3", List.of("6.6.6.6", "198.51.100.1")))
        .isEqualTo("198.51.100.1");
    assertThat(proxies.client("fd12::1", List.of("2001:db8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
    assertThat(proxies.client("192.0.2.7", List.of("198.51.100.1:4711"))).isEqualTo("198.51.100.1");
    assertThat(proxies.client("10.1.2.3", List.of("10.9.9.9")))
        .as("all trusted: the left-most")
        .isEqualTo("10.9.9.9");
    assertThat(proxies.client("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    assertThat(proxies.client("::ffff:10.1.2.3", List.of("198.51.100.1")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  @DisplayName(
      "a malformed forwarded address ends the walk at the last proxy: made-up text never becomes a client")
  void malformed() {
    assertThat(proxies.client("10.1.2.3", List.of("not-an-ip"))).isEqualTo("10.1.2.3");
    assertThat(proxies.client("10.1.2.3", List.of("198.51.100.1, unknown, 10.2.2.2")))
        .isEqualTo("10.2.2.2");
    assertThat(proxies.trusts("example.com")).isFalse();
  }

  @Test
  @DisplayName("a setting that is not a list of CIDRs is refused, naming the entry")
  void parse() {
    assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33"))
        .hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> TrustedProxies.parse("proxy.internal"))
        .hasMessageContaining("proxy.internal");
    assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/x")).hasMessageContaining("10.0.0.0/x");
    assertThat(TrustedProxies.parse(" ").isEmpty()).isTrue();
    assertThat(TrustedProxies.parse("0.0.0.0/0").trusts("8.8.8.8")).isTrue();
    assertThat(TrustedProxies.parse("10.0.0.0/8").trusts("11.0.0.1")).isFalse();
    assertThat(TrustedProxies.parse("10.0.0.0/9").trusts("10.128.0.1")).isFalse();
  }
}
