package dev.gputracker.worker.gpu;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What GPU detection found and how.
 *
 * @param method {@code jcuda}, {@code nvidia-smi}, {@code none} (nothing found; {@code notes} say
 *     why) or {@code skipped} ({@code SKIP_GPU_CHECK=true})
 * @param gpus the devices, by index; empty unless {@code method} is jcuda or nvidia-smi
 * @param notes one line per probe that found nothing or skipped something, with the reason
 */
public record GpuDetection(String method, List<DetectedGpu> gpus, List<String> notes) {
  public GpuDetection {
    gpus = List.copyOf(gpus);
    notes = List.copyOf(notes);
  }

  public JsonArray gpusJson() {
    JsonArray out = new JsonArray();
    gpus.forEach(g -> out.add(g.toJson()));
    return out;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("method", method)
        .put("gpus", gpusJson())
        .put("notes", new JsonArray(notes));
  }
}
