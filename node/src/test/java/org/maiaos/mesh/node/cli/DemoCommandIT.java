package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job runs every step and reports what each one verified. */
class DemoCommandIT {
  @TempDir Path tmp;

  @Test
  void theDemoRunsEveryStep() {
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "demo", "--dir", tmp.resolve("demo").toString(), "--blocks", "250");
    assertEquals(0, r.code(), r.err());
    String out = r.outText();
    for (String step : new String[] {"appended 250 blocks", "reopened: length 250", "truncated to 125, fork 1",
        "verified length 125, fetched 'block 0' and 'block 124', downloaded 2 blocks", "bee: region/us = node in us; 3 entries",
        "(3 transactions) as one Hyperbee batch; loaded back 3 transactions", "_session_zDemo1=3}", "(as another region reads it) loads 3 transactions"}) {
      assertTrue(out.contains(step), "missing '" + step + "' in:\n" + out);
    }
    assertTrue(java.nio.file.Files.isDirectory(tmp.resolve("demo").resolve("bee")), "--dir is kept");
  }

  @Test
  void withoutDirTheDemoRemovesItsTempDir() {
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "demo", "--blocks", "20");
    assertEquals(0, r.code(), r.err());
    String out = r.outText();
    String first = out.lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("creating a core in "), out);
    Path where = Path.of(first.substring("creating a core in ".length()));
    assertTrue(out.contains("removing " + where), out);
    assertTrue(!java.nio.file.Files.exists(where), where + " is left behind");
  }
}
