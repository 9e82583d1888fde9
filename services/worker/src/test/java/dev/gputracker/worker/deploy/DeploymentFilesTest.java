package dev.gputracker.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gputracker.shared.config.DatabaseUrl;
import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.config.SourcesFile;
import dev.gputracker.worker.config.WorkerConfig;
import dev.gputracker.worker.config.WorkerMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files (Dockerfiles, docker-compose.yml, Kubernetes manifests, .railway/railway.ts,
 * .env.example) checked against the code they deploy: variables the code reads, routes it serves,
 * ports it defaults to, commands it knows and jars its poms build. No Docker engine or cluster is
 * needed; the facts about the code are read from its sources and, where the worker exposes them,
 * from the worker's own classes.
 */
@DisplayName("Deployment files agree with the code")
class DeploymentFilesTest {
  /** Read by Railway itself, not by our code; allowed only in the Railway files. */
  private static final Set<String> RAILWAY_SETTINGS =
      Set.of(
          "RAILWAY_DOCKERFILE_PATH",
          "RAILWAY_DEPLOYMENT_DRAINING_SECONDS",
          "RAILWAY_HEALTHCHECK_TIMEOUT_SEC");

  private static final Pattern ENV_READ =
      Pattern.compile(
          "\\.(?:optional|string|required|integer|decimal|bool|oneOf)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
  private static final Pattern GETENV = Pattern.compile("getenv\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\)");
  private static final Pattern LOGBACK_VAR = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");
  private static final Pattern ROUTE = Pattern.compile("router\\.get\\(\"(/[^\"]*)\"\\)");

  private static Path root;
  private static Set<String> codeVariables;
  private static Set<String> sourceSuffixes;
  private static List<String> sourceNames;
  private static Set<String> apiRoutes;
  private static Set<String> workerRoutes;
  private static Set<String> workerCommands;
  private static int apiPort;
  private static int workerPort;
  private static int apiDrainSeconds;
  private static long workerGraceSeconds;
  private static String configuration;

  @BeforeAll
  static void readTheCode() throws IOException {
    root = repositoryRoot();
    codeVariables = new LinkedHashSet<>();
    for (String module : List.of("shared", "worker", "api")) {
      Path main = root.resolve("services/" + module + "/src/main");
      for (Path java : files(main.resolve("java"), ".java")) {
        String text = Files.readString(java);
        codeVariables.addAll(all(ENV_READ, text));
        codeVariables.addAll(all(GETENV, text));
      }
      for (Path xml : files(main.resolve("resources"), ".xml")) {
        codeVariables.addAll(all(LOGBACK_VAR, Files.readString(xml)));
      }
    }
    // Per-source overrides: SourcesFile reads envPrefix(name) + a suffix for every source in the
    // sources file.
    String sourcesFile =
        read("services/worker/src/main/java/dev/gputracker/worker/config/SourcesFile.java");
    sourceSuffixes =
        new LinkedHashSet<>(
            all(Pattern.compile("env\\.\\w+\\(\\s*prefix \\+ \"([A-Z_]+)\""), sourcesFile));
    try (InputStream in = DeploymentFilesTest.class.getResourceAsStream("/sources.json")) {
      JsonArray sources =
          new JsonObject(new String(Objects.requireNonNull(in).readAllBytes()))
              .getJsonArray("sources");
      sourceNames =
          sources.stream()
              .map(s -> ((JsonObject) s).getString("name"))
              .collect(Collectors.toList());
    }

    apiRoutes = new LinkedHashSet<>();
    for (Path java : files(root.resolve("services/api/src/main/java"), ".java")) {
      apiRoutes.addAll(all(ROUTE, Files.readString(java)));
    }
    workerRoutes =
        new LinkedHashSet<>(
            all(
                ROUTE,
                read("services/worker/src/main/java/dev/gputracker/worker/ops/OpsServer.java")));
    workerCommands = new LinkedHashSet<>();
    for (Path java :
        files(root.resolve("services/worker/src/main/java/dev/gputracker/worker/cli"), ".java")) {
      workerCommands.addAll(
          all(
              Pattern.compile("String name\\(\\) \\{\\s*return \"([a-z-]+)\";"),
              Files.readString(java)));
    }

    Matcher port =
        Pattern.compile("env\\.integer\\(\"PORT\", (\\d+),")
            .matcher(read("services/api/src/main/java/dev/gputracker/api/ApiConfig.java"));
    assertThat(port.find()).as("ApiConfig reads PORT with a default").isTrue();
    apiPort = Integer.parseInt(port.group(1));
    Matcher drain =
        Pattern.compile("env\\.integer\\(\"SHUTDOWN_GRACE_SECONDS\", (\\d+),")
            .matcher(read("services/api/src/main/java/dev/gputracker/api/ApiConfig.java"));
    assertThat(drain.find()).as("the API reads its shutdown grace with a default").isTrue();
    apiDrainSeconds = Integer.parseInt(drain.group(1));
    WorkerConfig worker =
        WorkerConfig.from(new Env(Map.of("DATABASE_URL", "postgres://u:p@db:5432/gpu")));
    workerPort = worker.httpPort();
    workerGraceSeconds = worker.shutdownGrace().toSeconds();
    configuration = read("docs/configuration.md");
  }

  @Test
  @DisplayName("the code facts the other checks rely on were found")
  void codeFacts() {
    assertThat(codeVariables)
        .contains("DATABASE_URL", "PORT", "WORKER_MODE", "WORKER_HTTP_PORT", "LOG_LEVEL");
    assertThat(sourceSuffixes).containsExactlyInAnyOrder("BASE_URL", "ENABLED", "PAGE_LIMIT");
    assertThat(apiRoutes).contains("/health", "/ready");
    assertThat(workerRoutes).contains("/health", "/metrics");
    assertThat(workerCommands).contains("run", "migrate", "demo-server");
    assertThat(apiPort).isEqualTo(8080);
    assertThat(workerPort).isEqualTo(8081);
  }

  @Test
  @DisplayName(
      "every variable in the configuration table (docs/configuration.md) is one the code or the tests read")
  void configurationTable() throws IOException {
    String section = configuration.substring(0, configuration.indexOf("\n## The sources file"));
    Set<String> testVariables = new LinkedHashSet<>();
    for (String module : List.of("shared", "worker", "api")) {
      for (Path java : files(root.resolve("services/" + module + "/src/test/java"), ".java")) {
        testVariables.addAll(all(GETENV, Files.readString(java)));
      }
    }
    List<String> documented = new ArrayList<>();
    for (String line :
        section.lines().filter(l -> l.startsWith("| `")).collect(Collectors.toList())) {
      String first = line.split("\\|")[1];
      documented.addAll(all(Pattern.compile("`([A-Z][A-Z0-9_<>]*)`"), first));
      // "`SOURCE_<NAME>_ENABLED` / `_BASE_URL`": suffixes of the row's first name.
      for (String suffix : all(Pattern.compile("`_([A-Z_]+)`"), first)) {
        documented.add("SOURCE_<NAME>_" + suffix);
      }
    }
    assertThat(documented).hasSizeGreaterThan(20);
    for (String name : documented) {
      if (name.startsWith("SOURCE_<NAME>_")) {
        assertThat(sourceSuffixes)
            .as("docs/configuration.md documents %s", name)
            .contains(name.substring("SOURCE_<NAME>_".length()));
      } else {
        assertThat(name)
            .as("docs/configuration.md documents %s; neither the code nor the tests read it", name)
            .isIn(union(codeVariables, testVariables));
      }
    }
  }

  @Test
  @DisplayName("the .env.example files name only variables the code reads")
  void envExamples() throws IOException {
    for (String service : List.of("api", "worker")) {
      List<String> names =
          all(
              Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)="),
              read("services/" + service + "/.env.example"));
      assertThat(names).as("services/%s/.env.example", service).contains("DATABASE_URL");
      for (String name : names) {
        assertKnown(name, "services/" + service + "/.env.example");
      }
    }
  }

  @Test
  @DisplayName(
      "each Dockerfile builds its module's jar in a cached multi-stage build and runs it as non-root")
  void dockerfiles() throws IOException {
    for (String service : List.of("api", "worker")) {
      String where = "services/" + service + "/Dockerfile";
      List<String[]> instructions = dockerfile(read(where));
      List<Integer> froms = new ArrayList<>();
      for (int i = 0; i < instructions.size(); i++) {
        if (instructions.get(i)[0].equals("FROM")) {
          froms.add(i);
        }
      }
      assertThat(froms).as("%s is multi-stage", where).hasSizeGreaterThanOrEqualTo(2);
      assertThat(instructions.get(froms.get(0))[1])
          .as("%s builder", where)
          .contains("maven")
          .contains("17");
      int runtime = froms.get(froms.size() - 1);
      assertThat(instructions.get(runtime)[1])
          .as("%s runtime", where)
          .contains("jre")
          .contains("17");

      // Layer order: every module's pom, then a Maven run (the dependency layer), then the sources.
      int firstSources = indexOf(instructions, "COPY", "/src ");
      assertThat(firstSources).as("%s copies sources", where).isPositive();
      for (String pom :
          List.of(
              "pom.xml",
              "services/shared/pom.xml",
              "services/worker/pom.xml",
              "services/api/pom.xml")) {
        int copy = indexOf(instructions, "COPY", pom + " ");
        assertThat(copy)
            .as("%s copies %s before the sources", where, pom)
            .isBetween(0, firstSources);
      }
      int resolve = indexOf(instructions, "RUN", "mvn ");
      assertThat(resolve)
          .as("%s resolves dependencies before copying sources", where)
          .isBetween(0, firstSources);
      String build = "mvn -B -DskipTests -pl services/" + service + " -am package";
      assertThat(indexOf(instructions, "RUN", build))
          .as("%s runs `%s` after the sources", where, build)
          .isGreaterThan(firstSources);

      // The jar the pom produces is the one copied and run.
      String jar = jarName(service);
      String copied =
          instructions.subList(runtime, instructions.size()).stream()
              .filter(i -> i[0].equals("COPY") && i[1].startsWith("--from="))
              .map(i -> i[1])
              .filter(s -> s.contains("/target/"))
              .findFirst()
              .orElse("");
      assertThat(copied)
          .as("%s copies the jar", where)
          .contains("services/" + service + "/target/" + jar + " ");
      String jarInImage = copied.substring(copied.lastIndexOf(' ') + 1);

      String user = last(instructions, runtime, "USER");
      assertThat(user).as("%s sets USER in the runtime stage", where).isNotNull();
      String uid = user.split(":")[0];
      assertThat(uid)
          .as("%s runs as a numeric non-root uid", where)
          .matches("[0-9]+")
          .isNotEqualTo("0");

      assertThat(last(instructions, runtime, "EXPOSE"))
          .as("%s EXPOSE", where)
          .isEqualTo(String.valueOf(defaultPort(service)));

      String healthcheck = last(instructions, runtime, "HEALTHCHECK");
      assertThat(healthcheck).as("%s has a HEALTHCHECK", where).isNotNull().contains("CMD [");
      List<String> probe = execForm(healthcheck.substring(healthcheck.indexOf("CMD [") + 4));
      assertProbe(probe, service, where);
      String probeClass = probe.get(probe.indexOf("-cp") + 1);
      assertThat(
              instructions.subList(runtime, instructions.size()).stream()
                  .anyMatch(i -> i[0].equals("COPY") && i[1].endsWith(" " + probeClass + "/")))
          .as("%s copies the probe into %s", where, probeClass)
          .isTrue();

      String entrypoint = last(instructions, runtime, "ENTRYPOINT");
      assertThat(entrypoint).as("%s ENTRYPOINT", where).isNotNull().startsWith("[");
      List<String> java = execForm(entrypoint);
      assertThat(java)
          .as("%s exec-form ENTRYPOINT", where)
          .startsWith("java")
          .endsWith("-jar", jarInImage);
      // The JVM's flags: inline, or an options file (@path) copied from
      // services/<service>/jvm.options, the file
      // the benchmarks start the service with. Either way the heap is bounded and an
      // OutOfMemoryError ends it.
      String flags = String.join(" ", java);
      String argfile = java.stream().filter(a -> a.startsWith("@")).findFirst().orElse(null);
      if (argfile != null) {
        String options = "services/" + service + "/jvm.options";
        assertThat(
                instructions.subList(runtime, instructions.size()).stream()
                    .anyMatch(
                        i ->
                            i[0].equals("COPY")
                                && i[1].equals(options + " " + argfile.substring(1))))
            .as("%s copies %s to %s", where, options, argfile.substring(1))
            .isTrue();
        flags =
            read(options).lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining(" "));
      }
      assertThat(flags)
          .as("%s JVM flags", where)
          .containsPattern("-Xmx\\d+m|-XX:MaxRAMPercentage=\\d+")
          .contains("-XX:+ExitOnOutOfMemoryError");

      for (String[] instruction : instructions) {
        if (instruction[0].equals("ENV")) {
          assertKnown(instruction[1].split("[= ]")[0], where);
        }
      }
      for (String[] instruction : instructions) {
        if (instruction[0].equals("COPY") && !instruction[1].startsWith("--from=")) {
          String source = instruction[1].split(" ")[0];
          assertThat(root.resolve(source)).as("%s copies %s", where, source).exists();
          assertNotDockerignored(source, where);
        }
      }
    }
    List<String[]> worker = dockerfile(read("services/worker/Dockerfile"));
    String cmd = last(worker, 0, "CMD");
    assertThat(cmd).as("the worker image's default command").isNotNull();
    assertThat(execForm(cmd))
        .as("the worker's CMD is `run`, which honours WORKER_MODE")
        .containsExactly("run");
  }

  @Test
  @DisplayName(
      "docker-compose.yml runs PostgreSQL, Kafka, the API and the worker the way the code expects")
  void compose() throws IOException {
    Map<String, Object> compose = yaml(read("docker-compose.yml"));
    Map<String, Object> services = map(compose.get("services"));
    assertThat(services).containsKeys("postgres", "kafka", "api", "worker");
    Set<String> volumes = map(compose.get("volumes")).keySet();

    Map<String, Object> postgres = map(services.get("postgres"));
    assertThat((String) postgres.get("image")).startsWith("postgres:16");
    assertThat(String.valueOf(map(postgres.get("healthcheck")).get("test"))).contains("pg_isready");
    assertThat(namedVolumes(postgres)).isNotEmpty().allMatch(volumes::contains);
    Map<String, String> pgEnv = environment(postgres);

    Map<String, Object> kafka = map(services.get("kafka"));
    assertThat((String) kafka.get("image")).startsWith("apache/kafka:");
    assertThat(environment(kafka).get("KAFKA_PROCESS_ROLES"))
        .as("KRaft: broker and controller in one")
        .contains("broker")
        .contains("controller");
    assertThat(kafka).containsKey("healthcheck");
    assertThat(namedVolumes(kafka)).isNotEmpty().allMatch(volumes::contains);

    for (Map.Entry<String, Object> entry : services.entrySet()) {
      Map<String, Object> service = map(entry.getValue());
      String image = String.valueOf(service.get("image"));
      String dockerfile =
          service.containsKey("build")
              ? (String) map(service.get("build")).get("dockerfile")
              : null;
      boolean ours = dockerfile != null || image.startsWith("gpu-tracker-");
      if (!ours) {
        continue;
      }
      String where = "docker-compose.yml " + entry.getKey();
      assertThat(dockerfile)
          .as("%s builds from a Dockerfile of this repository", where)
          .isNotNull();
      assertThat(root.resolve(dockerfile)).as(where).exists();
      String module = dockerfile.split("/")[1];
      assertThat(image).as("%s image name", where).startsWith("gpu-tracker-" + module);
      for (String name : environment(service).keySet()) {
        assertKnown(name, where);
      }
      if (module.equals("worker") && service.containsKey("command")) {
        assertThat(workerCommands)
            .as("%s command", where)
            .contains(stringList(service.get("command")).get(0));
      }
      String url = environment(service).get("DATABASE_URL");
      if (url != null) {
        DatabaseUrl database = DatabaseUrl.parse("DATABASE_URL", url);
        assertThat(database.host()).as("%s DATABASE_URL host", where).isEqualTo("postgres");
        assertThat(database.user()).as(where).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(database.password()).as(where).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
        assertThat(database.database()).as(where).isEqualTo(pgEnv.get("POSTGRES_DB"));
      }
      List<Object> envFiles = list(service.get("env_file"));
      if (!envFiles.isEmpty()) {
        Map<String, Object> envFile = map(envFiles.get(0));
        assertThat(envFile.get("path"))
            .as("%s env_file", where)
            .isEqualTo("services/" + module + "/.env");
        assertThat(envFile.get("required")).as("%s env_file is optional", where).isEqualTo(false);
      }
    }

    for (String service : List.of("api", "worker")) {
      Map<String, Object> definition = map(services.get(service));
      String where = "docker-compose.yml " + service;
      assertThat(map(definition.get("build")).get("dockerfile"))
          .isEqualTo("services/" + service + "/Dockerfile");
      assertThat(list(definition.get("env_file")))
          .as("%s reads services/%s/.env", where, service)
          .hasSize(1);
      assertThat(list(definition.get("ports")))
          .as("%s publishes its default port", where)
          .contains(defaultPort(service) + ":" + defaultPort(service));
      assertThat(map(map(definition.get("depends_on")).get("postgres")).get("condition"))
          .as("%s waits for a healthy PostgreSQL", where)
          .isEqualTo("service_healthy");
      assertProbe(stringList(map(definition.get("healthcheck")).get("test")), service, where);
    }
    Map<String, Object> worker = map(services.get("worker"));
    assertThat(map(map(worker.get("depends_on")).get("kafka")).get("condition"))
        .isEqualTo("service_healthy");
    assertThat(environment(worker).get("WORKER_MODE")).isEqualTo("daemon");
    // `docker compose run -e WORKER_MODE=oneshot worker` works because the command is `run`, which
    // reads
    // WORKER_MODE from the environment, and oneshot is a mode the worker knows.
    assertThat(list(worker.get("command"))).containsExactly("run");
    assertThat(
            WorkerConfig.from(
                    new Env(
                        Map.of("DATABASE_URL", "postgres://u:p@db/gpu", "WORKER_MODE", "oneshot")))
                .mode())
        .isEqualTo(WorkerMode.ONESHOT);
  }

  @Test
  @DisplayName(
      "the Kubernetes manifests probe real routes on the default ports and set only known variables")
  void kubernetes() throws IOException {
    Path dir = root.resolve("deployments/kubernetes");
    Map<String, Object> kustomization = yaml(Files.readString(dir.resolve("kustomization.yaml")));
    assertThat(kustomization.get("namespace")).isEqualTo("gpu-tracker");
    for (Object resource : list(kustomization.get("resources"))) {
      assertThat(dir.resolve((String) resource)).as("kustomization resource").exists();
    }
    Set<String> images =
        list(kustomization.get("images")).stream()
            .map(i -> (String) map(i).get("name"))
            .collect(Collectors.toSet());

    Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
    for (Path file : files(dir, ".yaml")) {
      if (file.getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      for (Object document : new Yaml().loadAll(Files.readString(file))) {
        Map<String, Object> object = map(document);
        objects.put(object.get("kind") + "/" + map(object.get("metadata")).get("name"), object);
      }
    }
    Map<String, Object> secret = objects.get("Secret/gpu-tracker-database");
    assertThat(secret).as("the Secret example").isNotNull();
    Set<String> secretKeys = map(secret.get("stringData")).keySet();

    // Every container: known variables, ConfigMaps and Secret keys that exist, one of our images.
    for (Map.Entry<String, Map<String, Object>> entry : objects.entrySet()) {
      Map<String, Object> pod = podSpec(entry.getValue());
      if (pod == null) {
        continue;
      }
      List<Object> containers = new ArrayList<>(list(pod.get("containers")));
      containers.addAll(list(pod.get("initContainers")));
      for (Object c : containers) {
        Map<String, Object> container = map(c);
        String where = entry.getKey() + " container " + container.get("name");
        assertThat(images).as("%s image", where).contains((String) container.get("image"));
        for (Object e : list(container.get("env"))) {
          Map<String, Object> variable = map(e);
          assertKnown((String) variable.get("name"), where);
          Map<String, Object> from = map(variable.get("valueFrom"));
          if (from.containsKey("secretKeyRef")) {
            Map<String, Object> ref = map(from.get("secretKeyRef"));
            assertThat(ref.get("name")).as(where).isEqualTo("gpu-tracker-database");
            assertThat(secretKeys).as(where).contains((String) ref.get("key"));
          }
        }
        for (Object e : list(container.get("envFrom"))) {
          String name = (String) map(map(e).get("configMapRef")).get("name");
          Map<String, Object> configMap = objects.get("ConfigMap/" + name);
          assertThat(configMap).as("%s uses ConfigMap %s", where, name).isNotNull();
          for (String key : map(configMap.get("data")).keySet()) {
            assertKnown(key, "ConfigMap " + name);
          }
        }
        if (container.get("image").equals("gpu-tracker-worker")) {
          assertThat(workerCommands)
              .as("%s args", where)
              .contains(stringList(container.get("args")).get(0));
        }
      }
    }

    Map<String, Object> apiPod = podSpec(objects.get("Deployment/gpu-tracker-api"));
    Map<String, Object> api = container(apiPod, "api");
    assertThat(containerPort(api, "http")).isEqualTo(apiPort);
    assertThat(configMapValue(objects, "gpu-tracker-api", "PORT"))
        .isEqualTo(String.valueOf(apiPort));
    assertThat(probePath(api, "readinessProbe")).isEqualTo("/ready").isIn(apiRoutes);
    assertThat(probePath(api, "livenessProbe")).isEqualTo("/health").isIn(apiRoutes);
    assertThat(probePort(api, "readinessProbe")).isEqualTo(apiPort);
    assertThat(probePort(api, "livenessProbe")).isEqualTo(apiPort);
    assertThat(map(api.get("resources"))).containsKeys("requests", "limits");
    int apiGrace =
        Integer.parseInt(configMapValue(objects, "gpu-tracker-api", "SHUTDOWN_GRACE_SECONDS"));
    assertThat((Integer) apiPod.get("terminationGracePeriodSeconds")).isGreaterThan(apiGrace);
    assertThat(
            Integer.parseInt(configMapValue(objects, "gpu-tracker-api", "SHUTDOWN_NOTICE_SECONDS")))
        .as("the readiness notice fits the API's grace")
        .isBetween(1, apiGrace - 2);
    assertThat(stringList(container(apiPod, "migrate").get("args"))).containsExactly("migrate");
    assertThat(map(apiPod.get("securityContext")).get("runAsNonRoot")).isEqualTo(true);

    Map<String, Object> service = map(objects.get("Service/gpu-tracker-api").get("spec"));
    assertThat(map(list(service.get("ports")).get(0)).get("targetPort")).isEqualTo("http");

    Map<String, Object> hpa = objects.get("HorizontalPodAutoscaler/gpu-tracker-api");
    assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
    assertThat(map(map(hpa.get("spec")).get("scaleTargetRef")).get("name"))
        .isEqualTo("gpu-tracker-api");
    assertThat(String.valueOf(map(hpa.get("spec")).get("metrics"))).contains("name=cpu");

    Map<String, Object> workerPod = podSpec(objects.get("Deployment/gpu-tracker-worker"));
    Map<String, Object> worker = container(workerPod, "worker");
    assertThat(envValue(worker, "WORKER_MODE")).isEqualTo("daemon");
    assertThat(containerPort(worker, "ops")).isEqualTo(workerPort);
    assertThat(configMapValue(objects, "gpu-tracker-worker", "WORKER_HTTP_PORT"))
        .isEqualTo(String.valueOf(workerPort));
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(probePath(worker, probe))
          .as("worker %s", probe)
          .isEqualTo("/health")
          .isIn(workerRoutes);
      assertThat(probePort(worker, probe)).as("worker %s", probe).isEqualTo(workerPort);
    }
    assertThat((Integer) workerPod.get("terminationGracePeriodSeconds"))
        .isGreaterThan((int) workerGraceSeconds);

    Map<String, Object> cron = map(objects.get("CronJob/gpu-tracker-worker-oneshot").get("spec"));
    assertThat(cron.get("concurrencyPolicy")).isEqualTo("Forbid");
    Map<String, Object> cronPod = podSpec(objects.get("CronJob/gpu-tracker-worker-oneshot"));
    assertThat(cronPod.get("restartPolicy")).isEqualTo("Never");
    assertThat(envValue(container(cronPod, "worker"), "WORKER_MODE")).isEqualTo("oneshot");
  }

  @Test
  @DisplayName(
      ".railway/railway.ts declares Postgres, the API, the worker daemon and the cron worker")
  void railway() throws IOException {
    String ts = read(".railway/railway.ts");
    assertThat(ts).contains("from \"railway/iac\"").contains("defineRailway(");
    Matcher db = Pattern.compile("const (\\w+) = postgres\\(").matcher(ts);
    assertThat(db.find()).as("a postgres(...) database").isTrue();
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher service = Pattern.compile("service\\(\"([^\"]+)\", \\{").matcher(ts);
    List<int[]> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (service.find()) {
      starts.add(new int[] {service.start()});
      names.add(service.group(1));
    }
    for (int i = 0; i < names.size(); i++) {
      int end = i + 1 < names.size() ? starts.get(i + 1)[0] : ts.indexOf("return project(");
      blocks.put(names.get(i), ts.substring(starts.get(i)[0], end));
    }
    assertThat(blocks).containsOnlyKeys("api", "worker", "worker-cron");

    for (Map.Entry<String, String> entry : blocks.entrySet()) {
      String where = "railway.ts " + entry.getKey();
      String block = entry.getValue();
      String module = entry.getKey().startsWith("worker") ? "worker" : "api";
      Matcher env = Pattern.compile("env: \\{([^}]*)\\}").matcher(block);
      assertThat(env.find()).as("%s sets env", where).isTrue();
      Map<String, String> variables = new LinkedHashMap<>();
      Matcher pair =
          Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*): ([^,\\n]+),").matcher(env.group(1));
      while (pair.find()) {
        variables.put(pair.group(1), pair.group(2).trim());
      }
      for (String name : variables.keySet()) {
        if (!RAILWAY_SETTINGS.contains(name)) {
          assertKnown(name, where);
        }
      }
      assertThat(variables.get("DATABASE_URL"))
          .as(where)
          .isEqualTo(db.group(1) + ".env.DATABASE_URL");
      String dockerfile = unquote(variables.get("RAILWAY_DOCKERFILE_PATH"));
      assertThat(dockerfile).as(where).isEqualTo("/services/" + module + "/Dockerfile");
      assertThat(root.resolve(dockerfile.substring(1))).as(where).exists();
      int draining =
          Integer.parseInt(unquote(variables.get("RAILWAY_DEPLOYMENT_DRAINING_SECONDS")));
      assertThat(draining)
          .as("%s draining seconds cover the shutdown", where)
          .isGreaterThan(module.equals("api") ? apiDrainSeconds : (int) workerGraceSeconds);
      Matcher health = Pattern.compile("healthcheck: \"([^\"]+)\"").matcher(block);
      String mode =
          variables.containsKey("WORKER_MODE") ? unquote(variables.get("WORKER_MODE")) : null;
      switch (entry.getKey()) {
        case "api":
          assertThat(health.find()).as(where).isTrue();
          assertThat(health.group(1)).as(where).isIn(apiRoutes);
          break;
        case "worker":
          assertThat(mode).as(where).isEqualTo("daemon");
          assertThat(health.find()).as(where).isTrue();
          assertThat(health.group(1)).as(where).isIn(workerRoutes);
          break;
        default:
          assertThat(mode).as("%s runs once and exits", where).isEqualTo("oneshot");
          assertThat(health.find()).as("%s has no health check: it exits", where).isFalse();
      }
    }

    for (Path legacy : files(root.resolve("deployments/railway/legacy"), ".json")) {
      JsonObject config = new JsonObject(Files.readString(legacy));
      String module = legacy.getFileName().toString().startsWith("worker") ? "worker" : "api";
      assertThat(config.getJsonObject("build").getString("dockerfilePath"))
          .as(legacy.toString())
          .isEqualTo("services/" + module + "/Dockerfile");
      String path = config.getJsonObject("deploy").getString("healthcheckPath");
      if (path != null) {
        assertThat(path)
            .as(legacy.toString())
            .isIn(module.equals("api") ? apiRoutes : workerRoutes);
      }
    }
  }

  @Test
  @DisplayName(
      "the image health probe passes on HTTP 200, fails otherwise, and reads the port variables in order")
  void healthProbe(@TempDir Path classes) throws Exception {
    Path source = root.resolve("deployments/docker/HealthProbe.java");
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), source.toString());
    assertThat(compiled).as("javac HealthProbe.java").isZero();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/up",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.createContext(
        "/down",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
    try {
      String port = String.valueOf(server.getAddress().getPort());
      assertThat(probe(classes, Map.of("PORT", port), "/up", "PORT", "1")).isZero();
      assertThat(probe(classes, Map.of("PORT", port), "/down", "PORT", "1")).isEqualTo(1);
      assertThat(probe(classes, Map.of(), "/up", "PORT", port)).as("the default port").isZero();
      assertThat(
              probe(
                  classes,
                  Map.of("WORKER_HTTP_PORT", port, "PORT", "1"),
                  "/up",
                  "WORKER_HTTP_PORT",
                  "PORT",
                  "1"))
          .as("the first variable set wins")
          .isZero();
      assertThat(probe(classes, Map.of("PORT", port), "/up", "WORKER_HTTP_PORT", "PORT", "1"))
          .as("falls back to the next variable")
          .isZero();
    } finally {
      server.stop(0);
    }
    assertThat(probe(classes, Map.of(), "/up", "PORT", "1")).as("nothing listening").isEqualTo(1);
  }

  @Test
  @DisplayName("variables set in the deployment files are documented in docs/configuration.md")
  void documented() throws IOException {
    Set<String> used = new LinkedHashSet<>();
    Map<String, Object> services = map(yaml(read("docker-compose.yml")).get("services"));
    for (String service : List.of("api", "worker", "migrate", "demo")) {
      used.addAll(environment(map(services.get(service))).keySet());
    }
    for (Object configMap : new Yaml().loadAll(read("deployments/kubernetes/configmap.yaml"))) {
      used.addAll(map(map(configMap).get("data")).keySet());
    }
    for (String name : used) {
      if (sourceOverride(name)) {
        continue;
      }
      assertThat(configuration)
          .as("docs/configuration.md documents %s", name)
          .contains("`" + name + "`");
    }
  }

  // ---- the checks' vocabulary

  private static void assertKnown(String name, String where) {
    assertThat(codeVariables.contains(name) || sourceOverride(name))
        .as("%s names %s, which no code reads", where, name)
        .isTrue();
  }

  /**
   * SOURCE_DEMO_CLOUD_BASE_URL and the like: a source of the built-in file, and a suffix
   * SourcesFile reads.
   */
  private static boolean sourceOverride(String name) {
    for (String source : sourceNames) {
      String prefix = SourcesFile.envPrefix(source);
      if (name.startsWith(prefix) && sourceSuffixes.contains(name.substring(prefix.length()))) {
        return true;
      }
    }
    return false;
  }

  /** A health probe command line: HealthProbe PATH VARIABLE... DEFAULT_PORT. */
  private static void assertProbe(List<String> argv, String service, String where) {
    int at = argv.indexOf("HealthProbe");
    assertThat(at).as("%s health check runs HealthProbe: %s", where, argv).isPositive();
    List<String> args = argv.subList(at + 1, argv.size());
    assertThat(args).as(where).hasSizeGreaterThanOrEqualTo(3);
    assertThat(args.get(0))
        .as("%s health check path", where)
        .isIn(service.equals("api") ? apiRoutes : workerRoutes);
    List<String> variables = args.subList(1, args.size() - 1);
    assertThat(variables)
        .as("%s health check port variables", where)
        .isEqualTo(service.equals("api") ? List.of("PORT") : List.of("WORKER_HTTP_PORT", "PORT"));
    variables.forEach(v -> assertKnown(v, where));
    assertThat(args.get(args.size() - 1))
        .as("%s health check default port", where)
        .isEqualTo(String.valueOf(defaultPort(service)));
  }

  private static int defaultPort(String service) {
    return service.equals("api") ? apiPort : workerPort;
  }

  private static String jarName(String service) throws IOException {
    Matcher output =
        Pattern.compile("<outputFile>\\$\\{project\\.build\\.directory}/([^<]+)</outputFile>")
            .matcher(read("services/" + service + "/pom.xml"));
    assertThat(output.find()).as("services/%s/pom.xml names the shaded jar", service).isTrue();
    return output.group(1);
  }

  private static void assertNotDockerignored(String source, String where) throws IOException {
    List<String> patterns =
        read(".dockerignore")
            .lines()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .map(l -> l.replaceAll("/$", ""))
            .collect(Collectors.toList());
    for (Path p = Path.of(source); p != null; p = p.getParent()) {
      for (String pattern : patterns) {
        boolean ignored =
            FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(p)
                || (pattern.startsWith("**/")
                    && p.getFileName().toString().equals(pattern.substring(3)));
        assertThat(ignored)
            .as("%s copies %s, but .dockerignore excludes it (%s)", where, source, pattern)
            .isFalse();
      }
    }
  }

  private static int probe(Path classes, Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classes.toString(),
                "HealthProbe"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("PORT");
    builder.environment().remove("WORKER_HTTP_PORT");
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  // ---- Dockerfile, YAML and file helpers

  /** Instructions as {KEYWORD, rest}, continuation lines joined and comments dropped. */
  private static List<String[]> dockerfile(String text) {
    List<String[]> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.lines().collect(Collectors.toList())) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String joined = current.toString().trim().replaceAll("\\s+", " ");
      current.setLength(0);
      int space = joined.indexOf(' ');
      instructions.add(
          new String[] {joined.substring(0, space).toUpperCase(), joined.substring(space + 1)});
    }
    return instructions;
  }

  private static int indexOf(List<String[]> instructions, String keyword, String contained) {
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i)[0].equals(keyword)
          && (instructions.get(i)[1] + " ").contains(contained)) {
        return i;
      }
    }
    return -1;
  }

  private static String last(List<String[]> instructions, int from, String keyword) {
    String found = null;
    for (String[] instruction : instructions.subList(from, instructions.size())) {
      if (instruction[0].equals(keyword)) {
        found = instruction[1];
      }
    }
    return found;
  }

  private static List<String> execForm(String json) {
    return new JsonArray(json.trim()).stream().map(String::valueOf).collect(Collectors.toList());
  }

  private static Map<String, Object> yaml(String text) {
    return map(new Yaml().load(text));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }

  private static List<String> stringList(Object value) {
    return list(value).stream().map(String::valueOf).collect(Collectors.toList());
  }

  /** A compose service's environment, in either the map or the list form. */
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = service.get("environment");
    if (raw instanceof Map) {
      map(raw).forEach((k, v) -> env.put(k, String.valueOf(v)));
    } else {
      for (Object item : list(raw)) {
        String[] kv = String.valueOf(item).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return env;
  }

  private static List<String> namedVolumes(Map<String, Object> service) {
    return stringList(service.get("volumes")).stream()
        .map(v -> v.split(":")[0])
        .filter(v -> !v.startsWith(".") && !v.startsWith("/"))
        .collect(Collectors.toList());
  }

  private static Map<String, Object> podSpec(Map<String, Object> object) {
    Map<String, Object> spec = map(object.get("spec"));
    if (object.get("kind").equals("CronJob")) {
      spec = map(map(spec.get("jobTemplate")).get("spec"));
    }
    Map<String, Object> template = map(spec.get("template"));
    return template.isEmpty() ? null : map(template.get("spec"));
  }

  private static Map<String, Object> container(Map<String, Object> pod, String name) {
    List<Object> all = new ArrayList<>(list(pod.get("containers")));
    all.addAll(list(pod.get("initContainers")));
    return all.stream()
        .map(DeploymentFilesTest::map)
        .filter(c -> name.equals(c.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  private static int containerPort(Map<String, Object> container, String name) {
    return list(container.get("ports")).stream()
        .map(DeploymentFilesTest::map)
        .filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no port named " + name));
  }

  private static String probePath(Map<String, Object> container, String probe) {
    return (String) map(map(container.get(probe)).get("httpGet")).get("path");
  }

  private static int probePort(Map<String, Object> container, String probe) {
    Object port = map(map(container.get(probe)).get("httpGet")).get("port");
    return port instanceof Integer ? (Integer) port : containerPort(container, (String) port);
  }

  private static String envValue(Map<String, Object> container, String name) {
    return list(container.get("env")).stream()
        .map(DeploymentFilesTest::map)
        .filter(e -> name.equals(e.get("name")))
        .map(e -> String.valueOf(e.get("value")))
        .findFirst()
        .orElse(null);
  }

  private static String configMapValue(
      Map<String, Map<String, Object>> objects, String name, String key) {
    return String.valueOf(map(objects.get("ConfigMap/" + name).get("data")).get(key));
  }

  private static String unquote(String value) {
    assertThat(value).isNotNull().startsWith("\"").endsWith("\"");
    return value.substring(1, value.length() - 1);
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      if (Files.exists(dir.resolve("docker-compose.yml"))) {
        return dir;
      }
    }
    throw new AssertionError("no docker-compose.yml above " + System.getProperty("user.dir"));
  }

  private static String read(String relative) throws IOException {
    return Files.readString(root.resolve(relative));
  }

  private static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> all(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }
}
