package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;

/** get never returns a deleted key's stale entry by default; the JS-compatible mode reproduces JS. */
class HyperbeeGetShortcutTest {
  @TempDir Path tmp;

  @Test
  void defaultGetIgnoresAStaleBlockOnTheSearchPath() {
    try (Hypercore core = Hypercore.create(tmp, HypercoreOptions.defaults())) {
      Hyperbee<byte[], byte[]> bee = Hyperbee.open(core);
      for (BeeOps.Op op : StaleGetFixture.ops()) BeeOps.apply(bee, op);
      assertTrue(bee.get(StaleGetFixture.KEY).isEmpty());
      assertTrue(bee.peek(Range.<byte[]>all().gte(StaleGetFixture.KEY).lte(StaleGetFixture.KEY)).isEmpty());

      Hyperbee<byte[], byte[]> js = Hyperbee.open(core,
          HyperbeeOptions.builder(Encoding.BINARY, Encoding.BINARY).jsGetShortcut(true).build());
      assertEquals(StaleGetFixture.STALE_SEQ, js.get(StaleGetFixture.KEY).orElseThrow().seq());
    }
  }
}
