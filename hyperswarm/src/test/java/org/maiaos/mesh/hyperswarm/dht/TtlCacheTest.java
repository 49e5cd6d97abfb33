package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TtlCacheTest {
  private long now = 0;
  private final TtlCache<String, Integer> cache = new TtlCache<>(3, 100, () -> now);

  @Test
  void entriesExpireAtTheirAge() {
    cache.set("a", 1);
    now = 99;
    assertEquals(1, cache.get("a"));
    now = 100;
    assertNull(cache.get("a"));
  }

  @Test
  void resettingRenewsTheAge() {
    cache.set("a", 1);
    now = 90;
    cache.set("a", 2);
    now = 150;
    assertEquals(2, cache.get("a"));
  }

  @Test
  void holdsAtMostMaxSizeDroppingTheOldest() {
    for (int i = 0; i < 4; i++) cache.set("k" + i, i);
    assertEquals(3, cache.size());
    assertNull(cache.get("k0"));
    assertEquals(3, cache.get("k3"));
  }

  @Test
  void removeForgetsAnEntry() {
    cache.set("a", 1);
    assertEquals(1, cache.remove("a"));
    assertNull(cache.get("a"));
  }
}
