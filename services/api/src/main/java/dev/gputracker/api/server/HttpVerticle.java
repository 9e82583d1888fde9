package dev.gputracker.api.server;

import dev.gputracker.api.ApiConfig;
import dev.gputracker.api.ApiDatabase;
import dev.gputracker.api.events.EventsHandler;
import dev.gputracker.api.gpus.GpusHandler;
import dev.gputracker.api.http.Failures;
import dev.gputracker.api.http.Problem;
import dev.gputracker.api.http.RateLimiter;
import dev.gputracker.api.http.RequestGate;
import dev.gputracker.api.http.Text;
import dev.gputracker.api.jobs.JobsHandler;
import dev.gputracker.api.listings.ListingFeed;
import dev.gputracker.api.listings.ListingsHandler;
import dev.gputracker.api.runs.RunsHandler;
import dev.gputracker.api.sources.SourcesHandler;
import dev.gputracker.shared.observability.ErrorReporting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's HTTP side: routes, CORS, timeouts, and one failure handler that renders every error as
 * problem+json.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final ApiConfig config;
  private final RateLimiter rateLimiter;
  private final List<Pattern> knownPaths = new ArrayList<>();
  private final PrometheusMeterRegistry registry;
  private Pool pool;
  private HttpServer server;
  private Buffer openApi;
  private final AtomicInteger openStreams;

  /** How many instances of this verticle share {@code DB_POOL_SIZE}: each has a pool of its own. */
  private final int eventLoops;

  private EventsHandler events;

  /**
   * The server process ids of this verticle's pool connections, to cancel their queries on stop.
   */
  private final Set<Integer> backendPids = ConcurrentHashMap.newKeySet();

  /** Set once stop() begins: failures that follow say the API is shutting down. */
  private volatile boolean stopping;

  /**
   * What every instance of one API process shares: one rate limiter, so the limit holds whichever
   * event loop serves a client; one metrics registry ({@code null}: no {@code /metrics}); the count
   * of open live streams (their cap).
   */
  public record Shared(
      RateLimiter rateLimiter, PrometheusMeterRegistry registry, AtomicInteger openStreams) {
    /** A process of one instance without metrics, as tests run it. */
    public static Shared of(ApiConfig config) {
      return new Shared(
          new RateLimiter(config.rateLimitPerMinute(), config.http().trustedProxies()),
          null,
          new AtomicInteger());
    }
  }

  /** The only instance of its process, without metrics. */
  public HttpVerticle(ApiConfig config) {
    this(config, Shared.of(config), 1);
  }

  /**
   * One of {@code eventLoops} instances of a process that share {@code shared} and the pool size.
   */
  public HttpVerticle(ApiConfig config, Shared shared, int eventLoops) {
    this.eventLoops = eventLoops;
    this.config = config;
    this.rateLimiter = shared.rateLimiter();
    this.registry = shared.registry();
    this.openStreams = shared.openStreams();
  }

  @Override
  public Future<?> start() {
    pool = ApiDatabase.pool(vertx, config, eventLoops, backendPids);
    Router router = Router.router(vertx);
    // A request id on every response (the caller's X-Request-Id when it is a sane token), in error
    // logs and problems,
    // and the time the API took (Server-Timing).
    router.route().handler(HttpVerticle::requestId);
    if (!config.corsOrigins().isEmpty()) {
      CorsHandler cors =
          config.corsOrigins().contains("*")
              ? CorsHandler.create()
              : CorsHandler.create().addOrigins(config.corsOrigins());
      router.route().handler(cors.allowedMethod(HttpMethod.GET).allowedMethod(HttpMethod.HEAD));
    }
    // Every request has a deadline but the live event stream, which is meant to stay open.
    Handler<RoutingContext> timeout = TimeoutHandler.create(config.requestTimeoutMs(), 503);
    router
        .route()
        .handler(
            ctx -> {
              if ("/api/events".equals(ctx.normalizedPath())) {
                ctx.next();
              } else {
                timeout.handle(ctx);
              }
            });
    router.route("/api/*").handler(rateLimiter::handle);
    HealthHandler health = new HealthHandler(pool, () -> stopping);
    // Liveness (the process answers) and readiness (the database answers and no shutdown has
    // begun).
    router.get("/health").handler(health::live);
    if (registry != null) {
      // Prometheus: HTTP latency histograms, pool usage and the JVM's figures
      // (vertx-micrometer-metrics).
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
    router.get("/ready").handler(health::ready);
    // The catalog with market figures and buy-vs-rent; a model's price series.
    GpusHandler gpus = new GpusHandler(pool, Duration.ofSeconds(config.marketCacheSeconds()));
    // Listings with filters, sorting and keyset pagination; each sale with its distance from its
    // model's median.
    ListingsHandler listings = new ListingsHandler(pool, gpus::saleMedians);
    router
        .get("/api/listings")
        .produces("application/json")
        .produces("text/csv")
        .handler(listings::list);
    // Any search as an Atom feed of new listings and price drops (before :id, which would take
    // "feed").
    router.get("/api/listings/feed").handler(new ListingFeed(pool)::feed);
    router.get("/api/listings/:id").handler(listings::one);
    router.get("/api/gpus").handler(gpus::list);
    router.get("/api/gpus/:slug").handler(gpus::one);
    router.get("/api/gpus/:slug/history").handler(gpus::history);
    // The outbox as Server-Sent Events, resumable with Last-Event-ID.
    events =
        new EventsHandler(
            vertx,
            pool,
            config.database(),
            openStreams,
            config.sseMaxStreams(),
            config.sseHeartbeatSeconds());
    router.get("/api/events").handler(events::stream);
    // A commit of the worker ends the market cache's window: cards and deals show a run's figures
    // right after it.
    events.onChange(gpus::invalidate);
    // Sources with their yield and rejections; the rejected listings themselves.
    SourcesHandler sources = new SourcesHandler(pool);
    router.get("/api/sources").handler(sources::list);
    router.get("/api/rejected").handler(sources::rejected);
    // What the catalog lacks: unknown-model rejects grouped by the words the normaliser could not
    // place.
    router.get("/api/rejected/gaps").handler(sources::gaps);
    // What the worker did, run by run and source by source.
    RunsHandler runs = new RunsHandler(pool);
    router.get("/api/runs").handler(runs::list);
    router.get("/api/runs/:id").handler(runs::one);
    // The compute-job queue: jobs with their state history, and the workers that run them.
    JobsHandler jobs = new JobsHandler(pool);
    router.get("/api/jobs").handler(jobs::list);
    router.get("/api/jobs/:id").handler(jobs::one);
    router.get("/api/workers").handler(jobs::workers);
    // The API's own description, and an interactive page over it (both inside the jar).
    router.get("/openapi.json").handler(this::openApi);
    router.get("/docs").handler(ctx -> ctx.reroute("/docs.html"));
    // uPlot (the page's charts) and Swagger UI (/docs) from their webjars inside the jar, no CDN.
    router
        .get("/webjars/*")
        .handler(
            StaticHandler.create("META-INF/resources/webjars")
                .setCachingEnabled(true)
                .setMaxAgeSeconds(86400));
    // The listing browser: static files inside the jar, no CDN.
    router
        .get("/*")
        .handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300));
    // The paths the router serves, read from the router itself (":id" → one segment), for 405/406
    // vs 404.
    for (Route route : router.getRoutes()) {
      String p = route.getPath();
      if (p != null && !p.equals("/") && !p.contains("*")) {
        knownPaths.add(
            Pattern.compile(Pattern.quote(p).replaceAll(":[A-Za-z]+", "\\\\E[^/]+\\\\Q")));
      }
    }
    router.route().last().handler(this::noRoute);
    router.route().failureHandler(this::failure);
    return events
        .start()
        .compose(v -> vertx.fileSystem().readFile("openapi.json"))
        .onSuccess(doc -> openApi = doc)
        .compose(
            doc -> {
              ApiConfig.Http http = config.http();
              RequestGate gate =
                  new RequestGate(vertx, router, http.maxRequestLineBytes(), http.maxHeaderBytes());
              return vertx
                  .createHttpServer(
                      new HttpServerOptions()
                          .setCompressionSupported(true)
                          .setMaxInitialLineLength(http.maxRequestLineBytes())
                          .setMaxHeaderSize(http.maxHeaderBytes()))
                  .invalidRequestHandler(gate::invalid)
                  .requestHandler(gate)
                  .listen(config.port(), "0.0.0.0");
            })
        .onSuccess(s -> server = s);
  }

  /**
   * Stops within {@code SHUTDOWN_GRACE_SECONDS}. {@code /ready} turns 503 at once; for the first
   * {@code SHUTDOWN_NOTICE_SECONDS} of the grace every other route still serves, so load balancers
   * that poll readiness take the replica out before it closes anything. Then live streams end and
   * the server takes no new connections; requests in flight may finish until 2.5 s before the end
   * (their queries are bounded by the statement timeout anyway). Then the queries still running are
   * cancelled in PostgreSQL and the pool closes, so a query stuck in the database fails its request
   * with a 503 instead of holding the exit; the server closes what remains.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    long noticeMs = config.shutdownNoticeSeconds() * 1000L;
    if (noticeMs == 0) {
      return drain(config.shutdownGraceSeconds() * 1000L);
    }
    return vertx
        .timer(noticeMs)
        .compose(v -> drain(config.shutdownGraceSeconds() * 1000L - noticeMs));
  }

  /**
   * The part of the stop that closes: streams, then the server's connections, then the pool, within
   * graceMs.
   */
  private Future<Void> drain(long graceMs) {
    long drainMs = graceMs - 500;
    long cancelAtMs = Math.max(graceMs / 2, graceMs - 2500);
    long cancelTimer =
        vertx.setTimer(
            cancelAtMs,
            id ->
                ApiDatabase.cancel(vertx, config, backendPids, 1000)
                    .onSuccess(
                        v ->
                            LOG.info(
                                "Cancelled the queries still running on the API's connections"))
                    .onFailure(
                        err ->
                            LOG.warn(
                                "Could not cancel the API's running queries ({}); closing the pool",
                                err.toString()))
                    .eventually(() -> pool.close()));
    Future<Void> streamsEnded = events == null ? Future.succeededFuture() : events.stop();
    Future<Void> drained =
        streamsEnded.transform(
            ar ->
                server == null
                    ? Future.succeededFuture()
                    : server.shutdown(drainMs, TimeUnit.MILLISECONDS));
    return drained.eventually(
        () -> {
          vertx.cancelTimer(cancelTimer);
          return pool.close();
        });
  }

  private void openApi(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "max-age=300")
        .end(openApi);
  }

  /** The port actually bound (tests start the API on port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Nothing matched: a known path asked with GET can only have failed on its Accept header (406);
   * another method on a known path is a 405; anything else a 404.
   */
  private void noRoute(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    boolean knownPath = knownPaths.stream().anyMatch(p -> p.matcher(path).matches());
    if (knownPath
        && (ctx.request().method() == HttpMethod.GET
            || ctx.request().method() == HttpMethod.HEAD)) {
      ctx.fail(406);
    } else if (knownPath) {
      ctx.response().putHeader("allow", "GET, HEAD");
      ctx.fail(
          new Problem(
              405,
              "Method not allowed",
              ctx.request().method() + " is not allowed on " + path,
              null));
    } else {
      ctx.fail(Problem.notFound("no resource at " + path));
    }
  }

  /**
   * Every failure of a routed request ends here and becomes problem+json with the request id; it is
   * recorded once (see {@link Failures} for how loudly). Nothing in here may throw: a last resort
   * answers a plain 500 problem.
   */
  private void failure(RoutingContext ctx) {
    String requestId = requestIdOf(ctx);
    try {
      Failures.Outcome outcome = Failures.classify(ctx.failure(), ctx.statusCode());
      if (stopping && outcome.kind() == Failures.Kind.UNAVAILABLE) {
        outcome =
            new Failures.Outcome(
                new Problem(
                    503,
                    "Service unavailable",
                    "the API is shutting down; try again" + " shortly",
                    null),
                Failures.Kind.UNAVAILABLE);
      }
      record(ctx, outcome, requestId);
      outcome.problem().send(ctx.response(), ctx.request().uri(), requestId);
      if (!ctx.response().ended() && ctx.response().headWritten()) {
        ctx.response()
            .reset(); // a body was under way: a truncated 200 must not pass for a whole one
      }
    } catch (Throwable t) {
      lastResort(ctx, t, requestId);
    }
  }

  private void record(RoutingContext ctx, Failures.Outcome outcome, String requestId) {
    if (ctx.get(RECORDED) != null) {
      return; // a request failed twice (a timeout, then its query) is logged and reported for the
      // first failure only
    }
    ctx.put(RECORDED, Boolean.TRUE);
    Throwable err = ctx.failure();
    String method = String.valueOf(ctx.request().method());
    String path = Text.excerpt(ctx.request().path());
    switch (outcome.kind()) {
      case BUG:
        LOG.atError()
            .addKeyValue("request_id", requestId)
            .setCause(err)
            .log("Unhandled error on {} {} (request {})", method, path, requestId);
        ErrorReporting.capture(
            err == null ? new IllegalStateException("status " + ctx.statusCode()) : err,
            Map.of("route", routeOf(ctx), "request_id", requestId));
        break;
      case UNAVAILABLE:
        // An outage fails every request: one warning a second per event loop says so, with how many
        // it stands for.
        long now = System.nanoTime();
        if (now - lastUnavailableLog < 1_000_000_000L) {
          unavailableSinceLog++;
          LOG.atDebug()
              .addKeyValue("request_id", requestId)
              .log("{} {} answered 503: {}", method, path, outcome.problem().getMessage());
          break;
        }
        LOG.atWarn()
            .addKeyValue("request_id", requestId)
            .log(
                "{} {} answered 503: {} ({}){}",
                method,
                path,
                outcome.problem().getMessage(),
                err == null ? "status " + ctx.statusCode() : String.valueOf(err),
                unavailableSinceLog == 0
                    ? ""
                    : "; " + unavailableSinceLog + " more 503s since the last such warning");
        lastUnavailableLog = now;
        unavailableSinceLog = 0;
        break;
      default:
        LOG.atDebug()
            .addKeyValue("request_id", requestId)
            .log(
                "{} {} answered {}: {}",
                method,
                path,
                outcome.problem().status(),
                outcome.problem().getMessage());
    }
  }

  private static void lastResort(RoutingContext ctx, Throwable t, String requestId) {
    try {
      LOG.error("The failure handler failed (request {})", requestId, t);
      ErrorReporting.capture(t, Map.of("where", "failure-handler"));
    } catch (Throwable ignored) {
      // Logging itself failed; the answer below still goes out.
    }
    try {
      if (!ctx.response().ended() && !ctx.response().headWritten()) {
        ctx.response()
            .setStatusCode(500)
            .putHeader("content-type", Problem.CONTENT_TYPE)
            .end(
                "{\"type\":\"about:blank\",\"title\":\"Internal error\",\"status\":500,\"request_id\":\""
                    + requestId
                    + "\"}");
      } else if (!ctx.response().ended()) {
        ctx.response().reset();
      }
    } catch (Throwable ignored) {
      ctx.request().connection().close();
    }
  }

  /** The route's pattern ({@code /api/listings/:id}) for grouping reports, else the path. */
  private static String routeOf(RoutingContext ctx) {
    try {
      if (ctx.currentRoute() != null && ctx.currentRoute().getPath() != null) {
        return ctx.currentRoute().getPath();
      }
    } catch (RuntimeException e) {
      // Falls through to the raw path.
    }
    return Text.excerpt(ctx.request().path());
  }

  private static String requestIdOf(RoutingContext ctx) {
    Object id = ctx.get(REQUEST_ID);
    if (id instanceof String s) {
      return s;
    }
    String fresh = Long.toHexString(ThreadLocalRandom.current().nextLong());
    ctx.put(REQUEST_ID, fresh);
    return fresh;
  }

  private static final String RECORDED = "failureRecorded";

  /**
   * When this verticle last logged a 503 at warning level, and how many it has answered since (its
   * loop only).
   */
  private long lastUnavailableLog = System.nanoTime() - 2_000_000_000L;

  private long unavailableSinceLog;
  static final String REQUEST_ID = "requestId";
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private static void requestId(RoutingContext ctx) {
    String given = ctx.request().getHeader("x-request-id");
    String id =
        given != null && SANE_ID.matcher(given).matches()
            ? given
            : Long.toHexString(ThreadLocalRandom.current().nextLong());
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader("x-request-id", id);
    // How long the API itself took, from routing to the response head (W3C Server-Timing): tells
    // the API's own time
    // apart from the network's and the client's, for people and for ApiFuzzTest's /health probe.
    long start = System.nanoTime();
    ctx.addHeadersEndHandler(
        v ->
            ctx.response()
                .putHeader(
                    "server-timing", "app;dur=" + (System.nanoTime() - start) / 10_000 / 100.0));
    ctx.next();
  }
}
