package dev.gputracker.api.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} the API believes ({@code TRUSTED_PROXIES}: IPv4 and
 * IPv6 CIDRs). Anyone can send the header, so it says who the client is only when the peer that
 * sent it is one of ours; then the client is the right-most address not itself a trusted proxy
 * (each proxy appends the address it saw, so addresses left of that one are the client's own
 * claims). From any other peer the header is ignored and the socket address is the client.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

  /** Hops read from the header at most: a longer chain is not one our proxies built. */
  private static final int MAX_HOPS = 20;

  private final List<Cidr> ranges;
  private final String text;

  private TrustedProxies(List<Cidr> ranges, String text) {
    this.ranges = ranges;
    this.text = text;
  }

  /**
   * Comma-separated CIDRs ({@code 10.0.0.0/8, fd00::/8}; a bare address is one host); an {@link
   * IllegalArgumentException} names the first one that is not.
   */
  public static TrustedProxies parse(String text) {
    List<Cidr> ranges = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        ranges.add(Cidr.parse(p));
      }
    }
    return new TrustedProxies(List.copyOf(ranges), text.trim());
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  public boolean trusts(String address) {
    byte[] bytes = address == null ? null : NetUtil.createByteArrayFromIpAddressString(address);
    return bytes != null && trusts(bytes);
  }

  private boolean trusts(byte[] address) {
    for (Cidr c : ranges) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client a request comes from: the socket peer, unless that is a trusted proxy with an {@code
   * X-Forwarded-For}, in which case the right-most forwarded address that is not a trusted proxy (a
   * malformed one ends the walk: the peer is then the client).
   */
  public String client(String peer, List<String> forwardedFor) {
    if (peer == null) {
      return "unknown";
    }
    byte[] peerBytes = NetUtil.createByteArrayFromIpAddressString(peer);
    String peerKey = peerBytes == null ? peer : canonical(peerBytes);
    if (ranges.isEmpty() || peerBytes == null || !trusts(peerBytes) || forwardedFor.isEmpty()) {
      return peerKey;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",", MAX_HOPS + 1)) {
        hops.add(hop.trim());
      }
    }
    String client = peerKey;
    int seen = 0;
    for (int i = hops.size() - 1; i >= 0 && seen < MAX_HOPS; i--, seen++) {
      byte[] hop = NetUtil.createByteArrayFromIpAddressString(stripPort(hops.get(i)));
      if (hop == null) {
        return client;
      }
      client = canonical(hop);
      if (!trusts(hop)) {
        return client;
      }
    }
    return client;
  }

  private static String stripPort(String hop) {
    if (hop.startsWith("[") && hop.indexOf(']') > 0) {
      return hop.substring(1, hop.indexOf(']'));
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }

  private static String canonical(byte[] address) {
    try {
      return NetUtil.toAddressString(InetAddress.getByAddress(address));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          e); // only for a wrong length, which createByteArrayFromIpAddressString never gives
    }
  }

  @Override
  public String toString() {
    return text.isEmpty() ? "none" : text;
  }

  /** One range: an address and how many leading bits of it must match. */
  private record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
      if (bytes == null) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
      }
      int bits = bytes.length * 8;
      if (slash >= 0) {
        Long parsed = Bounded.parseLong(text.substring(slash + 1));
        if (parsed == null || parsed > bytes.length * 8L) {
          throw new IllegalArgumentException(
              "'" + text + "' has a prefix length outside 0-" + bytes.length * 8);
        }
        bits = parsed.intValue();
      }
      return new Cidr(bytes, bits);
    }

    boolean contains(byte[] address) {
      byte[] a = address;
      if (a.length != network.length) {
        // An IPv4 peer may show as an IPv4-mapped IPv6 address (::ffff:a.b.c.d), and the other way
        // round.
        a =
            a.length == 16 && network.length == 4 && isMapped(a)
                ? Arrays.copyOfRange(a, 12, 16)
                : null;
        if (a == null) {
          return false;
        }
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }

    private static boolean isMapped(byte[] a) {
      for (int i = 0; i < 10; i++) {
        if (a[i] != 0) {
          return false;
        }
      }
      return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
  }
}
