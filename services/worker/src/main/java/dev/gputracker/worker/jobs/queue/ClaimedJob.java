package dev.gputracker.worker.jobs.queue;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A job leased to one worker. */
public record ClaimedJob(long id, String kind, String image, List<String> command, JsonObject env, int gpus,
    int timeoutSeconds, int attempt) {}
