package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing per block is held in memory: a 2-million-block core is built, reopened and appended to in a 32 MiB heap. */
class CoreStorageLargeCoreTest {
  @TempDir Path tmp;

  @Test
  void twoMillionBlockCoreOpensAndAppendsInA32MiBHeap() throws Exception {
    Path err = tmp.resolve("stderr");
    Process p = ChildJvm.start(LargeCoreMain.class, "32m", err, tmp.resolve("core").toString(), "2000000", "20000");
    boolean exited = p.waitFor(120, TimeUnit.SECONDS);
    if (!exited) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = Files.readString(err);
    System.out.print(out);
    assertTrue(exited, "child did not finish; stderr:\n" + stderr);
    assertEquals(0, p.exitValue(), out + stderr);
    assertTrue(out.startsWith("ok"), out + stderr);
  }
}
