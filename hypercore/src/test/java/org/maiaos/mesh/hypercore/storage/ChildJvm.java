package org.maiaos.mesh.hypercore.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test sources in a child JVM with the test classpath. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Reads the child's stdout lines into {@code lines} on a new thread, then adds {@code eof}. When
   * the child dies, the JDK drains what is left in the pipe into a buffer and closes the pipe under
   * a blocked read, which then throws "Stream closed"; reading on returns the drained lines, so an
   * exception is retried (bounded) rather than taken for the end.
   */
  public static Thread pumpLines(Process child, java.util.concurrent.BlockingQueue<String> lines, String eof, String threadName) {
    Thread t = new Thread(() -> {
      try (java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        int failures = 0;
        while (failures < 5) {
          try {
            String line = in.readLine();
            if (line == null) break;
            lines.add(line);
          } catch (IOException e) {
            failures++;
          }
        }
      } catch (IOException e) {
        // closing failed: nothing more to read
      }
      lines.add(eof);
    }, threadName);
    t.start();
    return t;
  }

  public static Process start(Class<?> main, String maxHeap, Path stderr, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + maxHeap);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(stderr.toFile());
    Process p = pb.start();
    p.getOutputStream().close(); // the child reads nothing
    return p;
  }
}
