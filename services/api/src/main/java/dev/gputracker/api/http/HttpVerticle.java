package dev.gputracker.api.http;

import dev.gputracker.api.ApiConfig;
import dev.gputracker.api.ApiDatabase;
import dev.gputracker.api.events.EventsHandler;
import dev.gputracker.api.gpus.GpusHandler;
import dev.gputracker.api.listings.ListingsHandler;
import dev.gputracker.api.jobs.JobsHandler;
import dev.gputracker.api.runs.RunsHandler;
import dev.gputracker.api.sources.SourcesHandler;
import dev.gputracker.shared.observability.ErrorReporting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API's HTTP side: routes, CORS, timeouts, and one failure handler that renders every error as problem+json. */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  private static final String PROBLEM_JSON = "application/problem+json";

  private final ApiConfig config;
  private final RateLimiter rateLimiter;
  private final java.util.List<java.util.regex.Pattern> knownPaths = new java.util.ArrayList<>();
  private final PrometheusMeterRegistry registry;
  private Pool pool;
  private HttpServer server;
  private io.vertx.core.buffer.Buffer openApi;
  private final java.util.concurrent.atomic.AtomicInteger openStreams;
  /** How many instances of this verticle share {@code DB_POOL_SIZE}: each has a pool of its own. */
  private final int eventLoops;
  private EventsHandler events;

  public HttpVerticle(ApiConfig config) {
    this(config, new RateLimiter(config.rateLimitPerMinute()), null);
  }

  /**
   * Every instance of a process shares one limiter, so the limit holds whichever event loop serves a client, and
   * one metrics registry ({@code null}: no {@code /metrics}).
   */
  public HttpVerticle(ApiConfig config, RateLimiter rateLimiter, PrometheusMeterRegistry registry) {
    this(config, rateLimiter, registry, new java.util.concurrent.atomic.AtomicInteger());
  }

  /** As above, with the count of open live streams shared by every instance of the process (their cap). */
  public HttpVerticle(ApiConfig config, RateLimiter rateLimiter, PrometheusMeterRegistry registry,
      java.util.concurrent.atomic.AtomicInteger openStreams) {
    this(config, rateLimiter, registry, openStreams, 1);
  }

  /** As above, as one of {@code eventLoops} instances that share the pool size ({@code DB_POOL_SIZE}). */
  public HttpVerticle(ApiConfig config, RateLimiter rateLimiter, PrometheusMeterRegistry registry,
      java.util.concurrent.atomic.AtomicInteger openStreams, int eventLoops) {
    this.eventLoops = eventLoops;
    this.config = config;
    this.rateLimiter = rateLimiter;
    this.registry = registry;
    this.openStreams = openStreams;
  }

  @Override
  public Future<?> start() {
    pool = ApiDatabase.pool(vertx, config, eventLoops);
    Router router = Router.router(vertx);
    if (!config.corsOrigins().isEmpty()) {
      CorsHandler cors = config.corsOrigins().contains("*") ? CorsHandler.create()
          : CorsHandler.create().addOrigins(config.corsOrigins());
      router.route().handler(cors.allowedMethod(HttpMethod.GET).allowedMethod(HttpMethod.HEAD));
    }
    // A request id on every response (the caller's X-Request-Id when it is a sane token), in error logs and problems.
    router.route().handler(HttpVerticle::requestId);
    // Every request has a deadline but the live event stream, which is meant to stay open.
    io.vertx.core.Handler<RoutingContext> timeout = TimeoutHandler.create(config.requestTimeoutMs(), 503);
    router.route().handler(ctx -> {
      if ("/api/events".equals(ctx.normalizedPath())) {
        ctx.next();
      } else {
        timeout.handle(ctx);
      }
    });
    router.route("/api/*").handler(rateLimiter::handle);
    HealthHandler health = new HealthHandler(pool);
    // Liveness and readiness for orchestrators and PaaS health checks.
    router.get("/health").handler(health::health);
    if (registry != null) {
      // Prometheus: HTTP latency histograms, pool usage and the JVM's figures (vertx-micrometer-metrics).
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
    router.get("/ready").handler(health::health);
    // Listings with filters, sorting and keyset pagination.
    ListingsHandler listings = new ListingsHandler(pool);
    router.get("/api/listings").produces("application/json").produces("text/csv").handler(listings::list);
    router.get("/api/listings/:id").handler(listings::one);
    // The catalog with market figures and buy-vs-rent; a model's price series.
    GpusHandler gpus = new GpusHandler(pool, java.time.Duration.ofSeconds(config.marketCacheSeconds()));
    router.get("/api/gpus").handler(gpus::list);
    router.get("/api/gpus/:slug").handler(gpus::one);
    router.get("/api/gpus/:slug/history").handler(gpus::history);
    // The outbox as Server-Sent Events, resumable with Last-Event-ID.
    events = new EventsHandler(vertx, pool, config.database(), openStreams, config.sseMaxStreams(),
        config.sseHeartbeatSeconds());
    router.get("/api/events").handler(events::stream);
    // Sources with their yield and rejections; the rejected listings themselves.
    SourcesHandler sources = new SourcesHandler(pool);
    router.get("/api/sources").handler(sources::list);
    router.get("/api/rejected").handler(sources::rejected);
    // What the catalog lacks: unknown-model rejects grouped by the words the normaliser could not place.
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
    // The listing browser: static files inside the jar, no CDN.
    router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300));
    // The paths the router serves, read from the router itself (":id" → one segment), for 405/406 vs 404.
    for (io.vertx.ext.web.Route route : router.getRoutes()) {
      String p = route.getPath();
      if (p != null && !p.equals("/") && !p.contains("*")) {
        knownPaths.add(java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(p).replaceAll(":[A-Za-z]+", "\\\\E[^/]+\\\\Q")));
      }
    }
    router.route().last().handler(this::noRoute);
    router.route().failureHandler(this::failure);
    return events.start().compose(v -> vertx.fileSystem().readFile("openapi.json"))
        .onSuccess(doc -> openApi = doc)
        .compose(doc -> vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
            .requestHandler(router)
            .listen(config.port(), "0.0.0.0"))
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    // The automatic close on undeploy would use a 0 s grace: drain in-flight requests first.
    // Live streams never end by themselves: end them first, then drain the rest.
    Future<Void> streamsEnded = events == null ? Future.succeededFuture() : events.stop();
    Future<Void> drained = streamsEnded.transform(ar -> server == null ? Future.succeededFuture()
        : server.shutdown(10, TimeUnit.SECONDS));
    return drained.eventually(() -> pool.close());
  }

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "max-age=300")
        .end(openApi);
  }

  /** The port actually bound (tests start the API on port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Nothing matched: a known path asked with GET can only have failed on its Accept header (406); another method
   * on a known path is a 405; anything else a 404.
   */
  private void noRoute(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    boolean knownPath = knownPaths.stream().anyMatch(p -> p.matcher(path).matches());
    if (knownPath && (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD)) {
      ctx.fail(406);
    } else if (knownPath) {
      ctx.response().putHeader("allow", "GET, HEAD");
      ctx.fail(new Problem(405, "Method not allowed", ctx.request().method() + " is not allowed on " + path, null));
    } else {
      ctx.fail(Problem.notFound("no resource at " + path));
    }
  }

  private void failure(RoutingContext ctx) {
    Throwable err = ctx.failure();
    Problem problem;
    if (err instanceof Problem p) {
      problem = p;
    } else if (ctx.statusCode() == 503 || isDatabaseUnavailable(err)) {
      problem = new Problem(503, "Service unavailable", "the database is not answering; try again shortly", null);
    } else if (ctx.statusCode() == 406) {
      problem = new Problem(406, "Not acceptable", "this resource answers in application/json (listings also in"
          + " text/csv)", null);
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      problem = new Problem(ctx.statusCode(), "Request error", "the request could not be handled", null);
    } else {
      LOG.atError().addKeyValue("request_id", ctx.get(REQUEST_ID)).setCause(err)
          .log("Unhandled error on {} (request {})", ctx.request().path(), (Object) ctx.get(REQUEST_ID));
      ErrorReporting.capture(err == null ? new IllegalStateException("status " + ctx.statusCode()) : err,
          Map.of("route", ctx.normalizedPath()));
      problem = new Problem(500, "Internal error", "an unexpected error happened; it has been logged", null);
    }
    if (ctx.response().ended()) {
      return;
    }
    JsonObject body = problem.toJson(ctx.request().uri());
    if (ctx.get(REQUEST_ID) != null) {
      body.put("request_id", (String) ctx.get(REQUEST_ID));
    }
    ctx.response().setStatusCode(problem.status()).putHeader("content-type", PROBLEM_JSON).end(body.encode());
  }

  static final String REQUEST_ID = "requestId";
  private static final java.util.regex.Pattern SANE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private static void requestId(RoutingContext ctx) {
    String given = ctx.request().getHeader("x-request-id");
    String id = given != null && SANE_ID.matcher(given).matches() ? given
        : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader("x-request-id", id);
    ctx.next();
  }

  private static boolean isDatabaseUnavailable(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      if (t instanceof java.net.ConnectException || name.endsWith("ClosedConnectionException")
          || name.endsWith("NoStackTraceTimeoutException") || name.contains("ConnectTimeout")
          || (t.getMessage() != null && t.getMessage().contains("Timeout"))) {
        return true;
      }
    }
    return false;
  }
}
