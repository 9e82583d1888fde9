package dev.gputracker.worker.scrape.fetch;

import dev.gputracker.worker.config.SourceConfig.FetchSettings;
import dev.gputracker.worker.scrape.fetch.FetchException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's polite HTTP fetcher: one instance per worker process, shared by every source.
 *
 * <p>Per fetch: robots.txt check (cached per scheme+host+port), per-host concurrency and rate
 * limits (shared by all sources hitting the host, keyed by host:port), connect and idle timeouts,
 * retries with full-jitter backoff on 429, 5xx and I/O errors (honouring Retry-After), a streamed
 * body-size limit that closes the connection as soon as it is passed, and manual redirects (each
 * hop checked against robots). The body comes back as raw bytes: adapters decode it because pages
 * lie about their charset.
 *
 * <p>Built on the Vert.x {@link HttpClientAgent} (the client WebClient wraps) because the size
 * limit needs the response head before the body: WebClient only surfaces status and headers once
 * the whole body has been consumed, so it could neither reject a large Content-Length up front nor
 * read a truncated robots.txt with its status.
 *
 * <p>Every failure is a {@link FetchException} with a {@link Kind}. Futures complete on the
 * caller's context.
 */
public final class Fetcher {

  /** Redirect hops followed before {@link Kind#TOO_MANY_REDIRECTS}. */
  public static final int MAX_REDIRECTS = 5;

  /** RFC 9309 lets crawlers stop reading robots.txt after 500 KiB. */
  static final int ROBOTS_MAX_BYTES = 500 * 1024;

  /** The largest body chunk the HTTP decoder hands over. */
  private static final int BODY_CHUNK_BYTES = 64 * 1024;

  /** Bodies of non-2xx responses are only read this far (nobody parses them). */
  private static final int ERROR_BODY_BYTES = 64 * 1024;

  private static final String ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.9,*/*;q=0.8";
  private static final String DIRECT = "direct";
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

  private final Vertx vertx;
  private final FetcherOptions options;
  private final UserAgents agents;
  private final Map<String, HttpClientAgent> clients = new ConcurrentHashMap<>();
  private final Map<String, HostLimiter> limiters = new ConcurrentHashMap<>();
  private final Map<String, CachedRobots> robots = new ConcurrentHashMap<>();
  private final Set<String> robotsIgnoredWarned = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public Fetcher(Vertx vertx) {
    this(vertx, FetcherOptions.defaults());
  }

  public Fetcher(Vertx vertx, FetcherOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.agents = new UserAgents(options.defaultUserAgent());
  }

  /**
   * Fetches one page politely.
   *
   * @return the final (post-redirect) page with a 2xx status, or a failed future carrying a {@link
   *     FetchException}
   */
  public Future<FetchedPage> fetch(URI url, FetchSettings settings) {
    Context caller = vertx.getOrCreateContext();
    Future<FetchedPage> result;
    if (closed) {
      result = Future.failedFuture(new FetchException(Kind.IO, url, "fetcher is closed"));
    } else {
      URI start = url.normalize();
      String agent = agents.next(settings.userAgents());
      result =
          checkUrl(start)
              .compose(v -> checkProxy(start, settings))
              .compose(v -> hop(start, settings, agent, new HashSet<>(), 0));
    }
    // Internal steps hop between event loops (shared limiters, per-connection contexts): hand back
    // on the caller's.
    Promise<FetchedPage> back = Promise.promise();
    result.onComplete(ar -> caller.runOnContext(v -> back.handle(ar)));
    return back.future();
  }

  /** Closes every HTTP client; later fetches fail. */
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(c -> closing.add(c.close()));
    clients.clear();
    return Future.all(closing).mapEmpty();
  }

  private Future<FetchedPage> hop(
      URI url, FetchSettings settings, String agent, Set<String> visited, int hops) {
    visited.add(withoutFragment(url));
    return robotsCheck(url, settings, agent)
        .compose(v -> withRetries(url, settings, agent, 0))
        .compose(
            resp -> {
              if (isRedirect(resp.status()) && resp.location() != null) {
                return resolve(url, resp.location())
                    .compose(
                        next -> {
                          if (visited.contains(withoutFragment(next))) {
                            return Future.failedFuture(
                                new FetchException(
                                    Kind.REDIRECT_LOOP,
                                    url,
                                    "redirect "
                                        + resp.status()
                                        + " back to already visited "
                                        + next));
                          }
                          if (hops >= MAX_REDIRECTS) {
                            return Future.failedFuture(
                                new FetchException(
                                    Kind.TOO_MANY_REDIRECTS,
                                    url,
                                    "more than " + MAX_REDIRECTS + " redirects, next was " + next));
                          }
                          return hop(next, settings, agent, visited, hops + 1);
                        });
              }
              if (resp.status() >= 200 && resp.status() < 300) {
                return Future.succeededFuture(
                    new FetchedPage(
                        url, resp.status(), resp.contentType(), resp.body(), resp.headers()));
              }
              return Future.failedFuture(
                  FetchException.httpStatus(
                      url,
                      resp.status(),
                      "HTTP " + resp.status() + " after " + resp.attempts() + " attempt(s)"));
            });
  }

  // ---- retries ----

  private Future<Response> withRetries(URI url, FetchSettings settings, String agent, int attempt) {
    return once(url, settings, agent, settings.maxBodyBytes(), false)
        .transform(
            ar -> {
              long delay;
              String reason;
              if (ar.succeeded()) {
                Response resp = ar.result().withAttempts(attempt + 1);
                if (!RetryPolicy.retryableStatus(resp.status())
                    || attempt >= settings.maxRetries()) {
                  return Future.succeededFuture(resp);
                }
                OptionalLong retryAfter =
                    RetryPolicy.parseRetryAfter(resp.retryAfter(), Instant.now());
                long cap = options.retry().retryAfterCap().toMillis();
                if (retryAfter.isPresent() && retryAfter.getAsLong() > cap) {
                  return Future.failedFuture(
                      FetchException.httpStatus(
                          url,
                          resp.status(),
                          "HTTP "
                              + resp.status()
                              + " with Retry-After "
                              + resp.retryAfter()
                              + " beyond the "
                              + cap / 1000
                              + " s cap"));
                }
                delay = retryAfter.orElse(options.retry().backoffMillis(attempt));
                reason = "HTTP " + resp.status();
              } else {
                FetchException failure = classify(url, ar.cause());
                if (!retryable(failure.kind()) || attempt >= settings.maxRetries()) {
                  return Future.failedFuture(failure);
                }
                delay = options.retry().backoffMillis(attempt);
                reason = failure.getMessage();
              }
              LOG.warn(
                  "Retrying {} in {} ms (retry {}/{}): {}",
                  url,
                  delay,
                  attempt + 1,
                  settings.maxRetries(),
                  reason);
              return after(delay).compose(v -> withRetries(url, settings, agent, attempt + 1));
            });
  }

  /**
   * A host that does not resolve or fails TLS will not do better a second later; the others might.
   */
  private static boolean retryable(Kind kind) {
    return kind == Kind.TIMEOUT || kind == Kind.REFUSED || kind == Kind.CONNECT || kind == Kind.IO;
  }

  private Future<Void> after(long delayMs) {
    if (delayMs <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> timer = Promise.promise();
    vertx.setTimer(delayMs, id -> timer.complete());
    return timer.future();
  }

  // ---- one request ----

  /**
   * One GET under the host's limits. The body is streamed: past {@code limit} the connection is
   * reset, which either fails the request ({@link Kind#TOO_LARGE}) or, with {@code truncate}, keeps
   * the first {@code limit} bytes.
   */
  private Future<Response> once(
      URI url, FetchSettings settings, String agent, long limit, boolean truncate) {
    HttpClientAgent client;
    try {
      client = clientFor(settings.proxy());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new FetchException(Kind.IO, url, 0, e.getMessage(), e));
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url.toString())
            .setFollowRedirects(false)
            .setConnectTimeout(settings.connectTimeout().toMillis())
            .setIdleTimeout(settings.readTimeout().toMillis())
            .putHeader(HttpHeaders.USER_AGENT, agent)
            .putHeader(HttpHeaders.ACCEPT, ACCEPT)
            .putHeader(HttpHeaders.ACCEPT_ENCODING, "gzip, deflate");
    // The request, its response head and its body handlers all live on one context: the limiter may
    // grant the slot
    // from another event loop, and a response whose handlers were set from a second thread could
    // see its body
    // arrive before them.
    Context context = vertx.getOrCreateContext();
    return limiterFor(url, settings)
        .acquire()
        .compose(
            release -> {
              Promise<Response> done = Promise.promise();
              context.runOnContext(
                  v -> {
                    long started = System.nanoTime();
                    client
                        .request(request)
                        .compose(req -> req.send())
                        .compose(
                            resp ->
                                read(url, resp, limit, truncate, settings.readTimeout().toMillis()))
                        .onComplete(
                            ar -> {
                              release.run();
                              long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                              if (ar.succeeded()) {
                                LOG.debug(
                                    "GET {} -> {} ({} bytes, {} ms)",
                                    url,
                                    ar.result().status(),
                                    ar.result().body().length,
                                    ms);
                              } else {
                                LOG.debug(
                                    "GET {} failed after {} ms: {}",
                                    url,
                                    ms,
                                    ar.cause().toString());
                              }
                            })
                        .onComplete(done);
                  });
              return done.future();
            });
  }

  private Future<Response> read(
      URI url, HttpClientResponse resp, long limit, boolean truncate, long idleMs) {
    int status = resp.statusCode();
    boolean success = status >= 200 && status < 300;
    long max = success ? limit : Math.min(limit, ERROR_BODY_BYTES);
    boolean cut = truncate || !success;
    long declared = contentLength(resp.getHeader(HttpHeaders.CONTENT_LENGTH));
    if (!cut && declared > max) {
      resp.exceptionHandler(ignored -> {});
      resp.request().reset();
      return Future.failedFuture(
          new FetchException(
              Kind.TOO_LARGE,
              url,
              "Content-Length " + declared + " exceeds the limit of " + max + " bytes"));
    }
    List<Map.Entry<String, String>> headers = List.copyOf(resp.headers().entries());
    return readBody(url, resp, max, cut, idleMs)
        .map(
            body ->
                new Response(
                    status,
                    resp.getHeader(HttpHeaders.CONTENT_TYPE),
                    resp.getHeader(HttpHeaders.LOCATION),
                    resp.getHeader("Retry-After"),
                    body,
                    1,
                    headers));
  }

  private Future<byte[]> readBody(
      URI url, HttpClientResponse resp, long max, boolean truncate, long idleMs) {
    Promise<byte[]> done = Promise.promise();
    // Sized from Content-Length when the server sends one: a 700 KB page otherwise grows its buffer
    // a dozen times.
    Buffer body = Buffer.buffer(initialCapacity(resp.getHeader(HttpHeaders.CONTENT_LENGTH), max));
    // The request idle timeout only guards the wait for the response head; this one guards the
    // body.
    IdleWatch idle =
        new IdleWatch(
            idleMs,
            () -> {
              if (done.tryFail(
                  new FetchException(
                      Kind.TIMEOUT, url, "no data for " + idleMs + " ms while reading the body"))) {
                resp.request().reset();
              }
            });
    done.future().onComplete(ar -> idle.stop());
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> done.tryComplete(body.getBytes()));
    resp.handler(
        chunk -> {
          if (done.future().isComplete()) {
            return;
          }
          idle.touch();
          long room = max - body.length();
          if (chunk.length() <= room) {
            body.appendBuffer(chunk);
            return;
          }
          if (truncate) {
            body.appendBuffer(chunk, 0, (int) room);
            done.tryComplete(body.getBytes());
          } else {
            done.tryFail(
                new FetchException(
                    Kind.TOO_LARGE, url, "body passed the limit of " + max + " bytes"));
          }
          // Resetting a request whose response is still streaming closes the HTTP/1.1 connection:
          // the rest is never
          // downloaded.
          resp.request().reset();
        });
    idle.start();
    return done.future();
  }

  private static int initialCapacity(String contentLength, long max) {
    if (contentLength != null) {
      try {
        long declared = Long.parseLong(contentLength.trim());
        if (declared > 0) {
          return (int) Math.min(Math.min(declared, max), 16L * 1024 * 1024);
        }
      } catch (NumberFormatException e) {
        // A malformed header sizes nothing; the body still reads.
      }
    }
    return 16 * 1024;
  }

  /** A read-idle timer on Vert.x timers: fires when no chunk arrived for the whole period. */
  private final class IdleWatch {
    private final long idleMs;
    private final Runnable onIdle;
    private volatile long lastNanos = System.nanoTime();
    private volatile long timerId = -1;
    private volatile boolean stopped;

    IdleWatch(long idleMs, Runnable onIdle) {
      this.idleMs = Math.max(1, idleMs);
      this.onIdle = onIdle;
    }

    void start() {
      schedule(idleMs);
    }

    void touch() {
      lastNanos = System.nanoTime();
    }

    void stop() {
      stopped = true;
      vertx.cancelTimer(timerId);
    }

    private void schedule(long delayMs) {
      if (!stopped) {
        timerId = vertx.setTimer(Math.max(1, delayMs), id -> check());
      }
    }

    private void check() {
      if (stopped) {
        return;
      }
      long quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastNanos);
      if (quietMs >= idleMs) {
        onIdle.run();
      } else {
        schedule(idleMs - quietMs);
      }
    }
  }

  private static long contentLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Names the cause of a transport failure: the resolver, the peer, the clock or TLS. Netty wraps
   * some causes (a TLS failure arrives inside a DecoderException), so the whole cause chain is
   * read.
   */
  static FetchException classify(URI url, Throwable t) {
    if (t instanceof FetchException fe) {
      return fe;
    }
    String detail = describe(t);
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof UnknownHostException) {
        return new FetchException(
            Kind.DNS,
            url,
            0,
            "unknown host " + url.getHost() + " (DNS lookup failed: " + detail + ")",
            t);
      }
      if (c instanceof TimeoutException
          || (c instanceof ConnectException && c.getClass().getSimpleName().contains("Timeout"))) {
        return new FetchException(Kind.TIMEOUT, url, 0, "timed out: " + detail, t);
      }
      if (c instanceof ConnectException
          && String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
        return new FetchException(
            Kind.REFUSED, url, 0, "connection refused by " + hostKey(url) + " (" + detail + ")", t);
      }
      if (c instanceof SSLException) {
        return new FetchException(Kind.TLS, url, 0, "TLS failure: " + describe(c), t);
      }
    }
    if (t instanceof ConnectException) {
      return new FetchException(Kind.CONNECT, url, 0, "cannot connect: " + detail, t);
    }
    return new FetchException(Kind.IO, url, 0, detail, t);
  }

  private static String describe(Throwable t) {
    String detail =
        t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return detail.replace('\n', ' ');
  }

  // ---- robots.txt ----

  private Future<Void> robotsCheck(URI url, FetchSettings settings, String agent) {
    if (!settings.obeyRobots()) {
      if (robotsIgnoredWarned.add(hostKey(url))) {
        LOG.warn(
            "robots.txt is NOT obeyed for {} (obeyRobots=false in the source's settings)",
            hostKey(url));
      }
      return Future.succeededFuture();
    }
    String token = RobotsTxt.productToken(agent);
    return robotsFor(url, settings, agent)
        .compose(
            verdict -> {
              if (verdict.rules().isAllowed(token, pathAndQuery(url))) {
                return Future.succeededFuture();
              }
              if (verdict.unreachable() != null) {
                return Future.failedFuture(
                    new FetchException(
                        Kind.ROBOTS_UNREACHABLE,
                        url,
                        "robots.txt unreachable: "
                            + verdict.unreachable()
                            + "; treated as disallow per RFC 9309"));
              }
              return Future.failedFuture(
                  new FetchException(
                      Kind.ROBOTS_DISALLOWED,
                      url,
                      "robots.txt disallows it for " + (token.isEmpty() ? "*" : token)));
            });
  }

  /** The cached rules of the URL's origin; concurrent callers share one robots.txt request. */
  private Future<RobotsVerdict> robotsFor(URI url, FetchSettings settings, String agent) {
    String origin = url.getScheme().toLowerCase(Locale.ROOT) + "://" + hostKey(url);
    long now = System.nanoTime();
    CachedRobots entry =
        robots.compute(
            origin,
            (k, old) -> {
              if (old != null && now < old.expiresAt) {
                return old;
              }
              CachedRobots fresh = new CachedRobots();
              URI robotsUrl = URI.create(origin + "/robots.txt");
              fresh.rules =
                  robotsHop(robotsUrl, settings, agent, 0)
                      .map(
                          outcome -> {
                            fresh.expiresAt = System.nanoTime() + outcome.ttlNanos;
                            return outcome.verdict;
                          });
              return fresh;
            });
    return entry.rules;
  }

  private Future<RobotsOutcome> robotsHop(URI url, FetchSettings settings, String agent, int hops) {
    long ttl = options.robotsTtl().toNanos();
    long failureTtl = options.robotsFailureTtl().toNanos();
    return once(url, settings, agent, ROBOTS_MAX_BYTES, true)
        .transform(
            ar -> {
              if (ar.failed()) {
                FetchException cause = classify(url, ar.cause());
                LOG.warn(
                    "robots.txt {} unreachable, disallowing the host for now: {}",
                    url,
                    cause.getMessage());
                return Future.succeededFuture(
                    new RobotsOutcome(RobotsVerdict.unreachable(cause.detail()), failureTtl));
              }
              Response resp = ar.result();
              int status = resp.status();
              if (status >= 200 && status < 300) {
                String text = new String(resp.body(), StandardCharsets.UTF_8);
                return Future.succeededFuture(
                    new RobotsOutcome(new RobotsVerdict(RobotsTxt.parse(text), null), ttl));
              }
              if (isRedirect(status) && resp.location() != null && hops < MAX_REDIRECTS) {
                return resolve(url, resp.location())
                    .compose(next -> robotsHop(next, settings, agent, hops + 1));
              }
              if (status == 429 || status >= 500) {
                LOG.warn("robots.txt {} answered {}, disallowing the host for now", url, status);
                return Future.succeededFuture(
                    new RobotsOutcome(RobotsVerdict.unreachable("HTTP " + status), failureTtl));
              }
              // 4xx (and redirects that never end) mean "no robots.txt": everything is allowed.
              return Future.succeededFuture(
                  new RobotsOutcome(new RobotsVerdict(RobotsTxt.ALLOW_ALL, null), ttl));
            });
  }

  private static final class CachedRobots {
    volatile long expiresAt = Long.MAX_VALUE;
    volatile Future<RobotsVerdict> rules;
  }

  /**
   * The rules of an origin; {@code unreachable} says why robots.txt could not be read, when it
   * could not.
   */
  private record RobotsVerdict(RobotsTxt rules, String unreachable) {
    static RobotsVerdict unreachable(String why) {
      return new RobotsVerdict(RobotsTxt.DISALLOW_ALL, why);
    }
  }

  private record RobotsOutcome(RobotsVerdict verdict, long ttlNanos) {}

  // ---- clients and limiters ----

  private HostLimiter limiterFor(URI url, FetchSettings settings) {
    HostLimiter limiter =
        limiters.computeIfAbsent(
            hostKey(url),
            k -> new HostLimiter(vertx, settings.maxConcurrency(), settings.requestsPerSecond()));
    limiter.tighten(settings.maxConcurrency(), settings.requestsPerSecond());
    return limiter;
  }

  private HttpClientAgent clientFor(Optional<URI> proxy) {
    String key = proxy.map(URI::toString).orElse(DIRECT);
    return clients.computeIfAbsent(
        key,
        k -> {
          HttpClientOptions options =
              new HttpClientOptions()
                  .setName("gpu-tracker-fetcher")
                  .setDecompressionSupported(true)
                  .setKeepAlive(true)
                  // Body chunks as large as a socket read (the default cuts them at 8 KB): a 700 KB
                  // page is then about a
                  // dozen chunks through the pipeline and the body handler instead of ninety.
                  .setMaxChunkSize(BODY_CHUNK_BYTES);
          proxy.map(Fetcher::proxyOptions).ifPresent(options::setProxyOptions);
          return vertx
              .httpClientBuilder()
              .with(options)
              .with(new PoolOptions().setHttp1MaxSize(16))
              .build();
        });
  }

  static ProxyOptions proxyOptions(URI proxy) {
    String scheme = proxy.getScheme() == null ? "" : proxy.getScheme().toLowerCase(Locale.ROOT);
    ProxyType type =
        switch (scheme) {
          case "http" -> ProxyType.HTTP;
          case "socks5", "socks" -> ProxyType.SOCKS5;
          default -> throw new IllegalArgumentException("unsupported proxy scheme in " + proxy);
        };
    if (proxy.getHost() == null) {
      throw new IllegalArgumentException("proxy without a host: " + proxy);
    }
    int port = proxy.getPort() > 0 ? proxy.getPort() : (type == ProxyType.HTTP ? 8080 : 1080);
    ProxyOptions options = new ProxyOptions().setType(type).setHost(proxy.getHost()).setPort(port);
    String userInfo = proxy.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      options.setUsername(
          URLDecoder.decode(
              colon < 0 ? userInfo : userInfo.substring(0, colon), StandardCharsets.UTF_8));
      if (colon >= 0) {
        options.setPassword(
            URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
      }
    }
    return options;
  }

  // ---- URLs ----

  private static Future<Void> checkUrl(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      return Future.failedFuture(
          new FetchException(Kind.IO, url, "only absolute http(s) URLs can be fetched"));
    }
    return Future.succeededFuture();
  }

  /**
   * A bad proxy setting is a configuration error of the page's source, not a robots.txt problem:
   * fail first.
   */
  private Future<Void> checkProxy(URI url, FetchSettings settings) {
    try {
      clientFor(settings.proxy());
      return Future.succeededFuture();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new FetchException(Kind.IO, url, 0, e.getMessage(), e));
    }
  }

  private static Future<URI> resolve(URI base, String location) {
    try {
      URI next = base.resolve(new URI(location.trim())).normalize();
      return checkUrl(next).map(next);
    } catch (URISyntaxException e) {
      return Future.failedFuture(
          new FetchException(Kind.IO, base, 0, "unreadable Location: " + location, e));
    }
  }

  /** host:port with the scheme's default port filled in: the key of limits and robots. */
  static String hostKey(URI url) {
    int port = url.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
    return url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  private static String pathAndQuery(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  private static String withoutFragment(URI url) {
    String s = url.toString();
    int hash = s.indexOf('#');
    return hash < 0 ? s : s.substring(0, hash);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private record Response(
      int status,
      String contentType,
      String location,
      String retryAfter,
      byte[] body,
      int attempts,
      List<Map.Entry<String, String>> headers) {
    Response withAttempts(int n) {
      return new Response(status, contentType, location, retryAfter, body, n, headers);
    }
  }
}
