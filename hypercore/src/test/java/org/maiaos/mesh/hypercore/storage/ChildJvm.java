package org.maiaos.mesh.hypercore.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test sources in a child JVM with the test classpath. */
public final class ChildJvm {
  private ChildJvm() {}

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
