package dev.gputracker.worker.cli;

import dev.gputracker.shared.config.Env;
import dev.gputracker.worker.demo.DemoMarketplace;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Serves the built-in demo marketplace on {@code DEMO_PORT} (default 8089) until stopped. */
public final class DemoServerCommand implements Command {
  @Override
  public String name() {
    return "demo-server";
  }

  @Override
  public String summary() {
    return "serve the built-in demo marketplace on DEMO_PORT (default 8089)";
  }

  @Override
  public int run(Env env, List<String> args) throws InterruptedException {
    int port = env.integer("DEMO_PORT", 8089, 1, 65535);
    String host = env.string("DEMO_HOST", "127.0.0.1");
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new DemoMarketplace(host, port, System.currentTimeMillis())).await();
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  vertx.close().await();
                  forever.countDown();
                }));
    forever.await();
    return 0;
  }
}
