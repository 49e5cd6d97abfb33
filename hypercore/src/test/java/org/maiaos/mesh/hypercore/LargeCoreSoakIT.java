package org.maiaos.mesh.hypercore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.storage.ChildJvm;

/**
 * Soak (mvn -Psoak verify): a core of 10 million blocks is built, reopened, appended to and read
 * in a child JVM limited to a 48 MiB heap, which it can only do if nothing is held per block.
 */
class LargeCoreSoakIT {
  static final long BLOCKS = Long.getLong("soak.blocks", 10_000_000L);

  @TempDir Path tmp;

  @Test
  void tenMillionBlockCoreOpensAndAppendsInASmallHeap() throws Exception {
    Path err = tmp.resolve("stderr");
    Process child = ChildJvm.start(LargeCoreMain.class, "48m", err, tmp.resolve("core").toString(), Long.toString(BLOCKS));
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(child.waitFor(30, TimeUnit.MINUTES), "child still running");
    assertEquals(0, child.exitValue(), Files.readString(err));
    assertEquals("ok " + (BLOCKS + 10_000), out, Files.readString(err));
  }
}
