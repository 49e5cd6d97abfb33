package org.maiaos.mesh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the JS half of a side-by-side benchmark ({@code node interop/<script>}) and reads its JSON line. */
final class JsSide {
  private final Path interop;

  JsSide(Path interop) {
    this.interop = interop;
  }

  String run(String script, String... args) throws IOException, InterruptedException {
    if (!Files.isDirectory(interop.resolve("node_modules/hypercore"))) {
      exec(List.of("npm", "install", "--no-audit", "--no-fund"));
    }
    List<String> cmd = new ArrayList<>(List.of("node", interop.resolve(script).toString()));
    cmd.addAll(List.of(args));
    return exec(cmd).trim();
  }

  private String exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(interop.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException("failed: " + cmd);
    return out;
  }

  /** Reads a numeric field from a flat JSON object line. */
  static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return Long.parseLong(m.group(1));
  }
}
