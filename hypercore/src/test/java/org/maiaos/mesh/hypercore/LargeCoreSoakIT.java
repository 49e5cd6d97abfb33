package org.maiaos.mesh.hypercore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    // stdout is read on its own thread, so the 30-minute deadline holds even if the child hangs silently
    java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
    ChildJvm.pumpLines(child, lines, "\u0000eof", "soak-stdout");
    boolean exited = child.waitFor(30, TimeUnit.MINUTES);
    if (!exited) child.destroyForcibly();
    assertTrue(exited, "child still running after 30 minutes");
    StringBuilder sb = new StringBuilder();
    for (String l; !"\u0000eof".equals(l = lines.poll(30, TimeUnit.SECONDS)); ) {
      if (l == null) throw new AssertionError("the child's stdout did not close 30 s after it exited");
      sb.append(l).append('\n');
    }
    String out = sb.toString().trim();
    assertEquals(0, child.exitValue(), Files.readString(err));
    assertEquals("ok " + (BLOCKS + 10_000), out, Files.readString(err));
  }
}
