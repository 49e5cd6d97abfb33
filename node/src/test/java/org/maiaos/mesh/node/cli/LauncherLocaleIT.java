package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mesh} under a non-UTF-8 locale ({@code LC_ALL=C}, {@code env -i}: containers, cron,
 * systemd) still reads arguments and stdin and writes stdout as UTF-8.
 */
class LauncherLocaleIT {
  private static final Path MESH = Path.of(System.getProperty("interop.dir")).getParent().resolve("bin/mesh");

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run mesh(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(MESH.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("mesh-out", ".txt");
    Path err = Files.createTempFile("mesh-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("bin/mesh " + String.join(" ", args) + " did not finish in 60 s");
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void argumentsStdinAndStdoutAreUtf8UnderTheCLocale() throws Exception {
    String dir = tmp.resolve("bee").toString();
    for (Map<String, String> env : List.of(Map.of("LC_ALL", "C"), Map.<String, String>of(), Map.of("LANG", "POSIX"))) {
      Files.createDirectories(tmp);
      Run created = mesh(env, "", "bee", "create", dir + env.size() + env.hashCode());
      assertEquals(0, created.code(), created.err());
      String d = dir + env.size() + env.hashCode();
      Run applied = mesh(env, "{\"put\":[\"ünï\",\"wért ☃\"]}\n", "bee", "apply", d);
      assertEquals(0, applied.code(), applied.err());
      Run got = mesh(env, "", "bee", "get", d, "ünï", "--json");
      assertEquals(0, got.code(), got.err());
      assertEquals("{\"key\":\"ünï\",\"value\":\"wért ☃\",\"seq\":1}", got.out().trim(), "under " + env);
      Run range = mesh(env, "", "bee", "range", d, "--gte", "ü");
      assertTrue(range.out().contains("\"key\":\"ünï\""), "under " + env + ": " + range.out());
    }
  }
}
