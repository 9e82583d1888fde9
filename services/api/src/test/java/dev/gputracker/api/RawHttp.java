package dev.gputracker.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A minimal HTTP/1.1 client over a plain socket, for requests no well-behaved client would send
 * (bad request lines, unknown versions, broken headers). Keeps its connection between requests
 * while the server does.
 */
final class RawHttp implements AutoCloseable {
  /**
   * A response: status, headers (lower-case names), body; {@code stream} when it was an event
   * stream left open.
   */
  record Response(
      String version, int status, Map<String, String> headers, byte[] body, boolean stream) {
    String header(String name) {
      return headers.get(name);
    }

    /** The body as text, decompressed when the server compressed it. */
    String text() {
      String encoding = headers.getOrDefault("content-encoding", "identity");
      try {
        InputStream in = new ByteArrayInputStream(body);
        if (encoding.equals("gzip")) {
          in = new GZIPInputStream(in);
        } else if (encoding.equals("deflate")) {
          in = new InflaterInputStream(in);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(undecodable " + encoding + " body: " + e + ")";
      }
    }
  }

  private final int port;
  private final int timeoutMs;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawHttp(int port, int timeoutMs) {
    this.port = port;
    this.timeoutMs = timeoutMs;
  }

  /** A GET over HTTP/1.1 with a Host header. */
  Response get(String target) throws IOException {
    return send(
        ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.UTF_8),
        false);
  }

  /**
   * Sends {@code request} (the whole head, and any body) and reads one response. An I/O error or an
   * end of stream before a whole response is an IOException: the server reset or dropped the
   * request.
   */
  Response send(byte[] request, boolean head) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }
    try {
      out.write(request);
      out.flush();
      Response r = read(head);
      // HTTP/1.0 closes after each response unless both sides said keep-alive.
      boolean oneShot =
          r.version().equals("HTTP/1.0") && !"keep-alive".equalsIgnoreCase(r.header("connection"));
      if ("close".equalsIgnoreCase(r.header("connection")) || r.stream() || oneShot) {
        close();
      }
      return r;
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response read(boolean head) throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new TreeMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.merge(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          h.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    String type = headers.getOrDefault("content-type", "");
    if (type.startsWith("text/event-stream")) {
      return new Response(parts[0], status, headers, new byte[0], true);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head || status == 304 || status == 204 || status / 100 == 1) {
      return new Response(parts[0], status, headers, new byte[0], false);
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
          size > 0;
          size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
        body.write(exactly(size));
        line();
      }
      for (String t = line(); !t.isEmpty(); t = line()) {
        // trailers
      }
    } else if (headers.containsKey("content-length")) {
      body.write(exactly(Integer.parseInt(headers.get("content-length"))));
    } else {
      body.write(in.readAllBytes());
      close();
    }
    return new Response(parts[0], status, headers, body.toByteArray(), false);
  }

  private byte[] exactly(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new IOException("connection closed after " + b.length + " of " + n + " body bytes");
    }
    return b;
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a socket that failed.
      }
      socket = null;
    }
  }
}
