package org.maiaos.mesh.cojson.storage.crash;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.StorageApi;

/** Child JVM of {@link StorageCrashIT}: resumes the scenario from disk and stores until killed, printing each durable step. */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    StorageApi storage = CrashScenario.open(args[0], Path.of(args[1]));
    long k = CrashScenario.stepsOnDisk(storage);
    if (k < 0) {
      System.err.println("torn state on disk");
      System.exit(3);
    }
    Map<String, Map<String, Long>> counts = CrashScenario.countsAfter(k);
    out.println("committed " + k);
    out.flush();
    for (long step = k; step < k + 1_000_000; step++) {
      final long done = step + 1;
      boolean ok = storage.store(CrashScenario.message(step, counts), c -> {
        throw new IllegalStateException("correction asked at step " + done + ": " + c);
      }, () -> {
        out.println("committed " + done);
        out.flush();
      });
      if (!ok) System.exit(4);
      CrashScenario.apply(counts, step);
    }
    storage.close();
  }
}
