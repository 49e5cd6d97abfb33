package org.maiaos.mesh.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh demo}: the README's main job for now. It shows the current capability end to end on
 * an embedded default: create a core, append batches, reopen it from disk, read blocks back,
 * truncate, and print the signed head.
 */
@Command(name = "demo", description = "Create a core, append, reopen, read back, truncate; print each step.", mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", description = "Where to create the demo core (default: a new temp dir).") Path dir;
  @Option(names = "--blocks", description = "How many blocks to append (default: ${DEFAULT-VALUE}).", defaultValue = "1000") int blocks;

  @Override
  public Integer call() throws IOException {
    Path where = dir != null ? dir : Files.createTempDirectory("mesh-demo-");
    System.out.println("creating a core in " + where);
    try (Hypercore core = Hypercore.create(where, HypercoreOptions.defaults())) {
      System.out.println("key           " + core.key().hex());
      System.out.println("discoveryKey  " + core.discoveryKey().hex());
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < blocks; i++) {
        batch.add(("block " + i).getBytes(StandardCharsets.UTF_8));
        if (batch.size() == 100 || i == blocks - 1) {
          core.append(batch);
          batch = new ArrayList<>();
        }
      }
      System.out.println("appended " + core.length() + " blocks in batches of 100");
    }
    try (Hypercore core = Hypercore.open(where)) {
      System.out.println("reopened: length " + core.length() + ", signature verified on open");
      long last = core.length() - 1;
      if (last >= 0) {
        System.out.println("block " + last + " = " + new String(core.get(last), StandardCharsets.UTF_8));
        core.truncate(core.length() / 2);
        System.out.println("truncated to " + core.length() + ", fork " + core.fork());
      }
      System.out.println(CoreCommands.infoJson(core.info()));
    }
    return 0;
  }
}
