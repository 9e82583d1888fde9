package dev.gputracker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client on the JDK's HTTP client, reading lines on a thread of its own: whole
 * events (and comments) as they arrive, none lost between the response head and the first chunk.
 */
final class SseClient implements AutoCloseable {
  record Event(String id, String type, JsonObject data) {}

  private static final HttpClient JDK =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  final int status;
  private final Stream<String> lines;

  SseClient(int port, String query, String lastEventId) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events" + query));
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    var response = JDK.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    status = response.statusCode();
    lines = response.body();
    if (status != 200) {
      lines.close();
      return;
    }
    Thread reader =
        new Thread(
            () -> {
              StringBuilder block = new StringBuilder();
              try {
                lines.forEach(
                    line -> {
                      if (line.isEmpty()) {
                        if (block.length() > 0) {
                          parse(block.toString());
                          block.setLength(0);
                        }
                      } else {
                        block.append(block.length() == 0 ? "" : "\n").append(line);
                      }
                    });
              } catch (RuntimeException closed) {
                // The stream was closed by the test.
              }
            },
            "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void parse(String block) {
    String id = null;
    String type = null;
    String data = null;
    for (String line : block.split("\n")) {
      if (line.startsWith(":")) {
        received.add("comment" + line);
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        type = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = line.substring(6);
      } else if (line.startsWith("retry: ")) {
        received.add("ready");
      }
    }
    if (data != null) {
      received.add(new Event(id, type, new JsonObject(data)));
    }
  }

  void awaitReady() throws InterruptedException {
    assertThat(received.poll(10, TimeUnit.SECONDS)).as("the stream opened").isEqualTo("ready");
  }

  List<Event> events(int n) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    while (out.size() < n) {
      Object next = received.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("event %d of %d", out.size() + 1, n).isNotNull();
      if (next instanceof Event e) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    lines.close();
  }
}
