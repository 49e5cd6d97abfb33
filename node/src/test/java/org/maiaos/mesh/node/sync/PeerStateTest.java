package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.KnownState;

/** An idle client's state is a few fields; its tables come with the first use that needs them. */
class PeerStateTest {
  @Test
  void anIdleClientHoldsNoTablesAndReadingDoesNotCreateThem() {
    EmbeddedChannel ch = new EmbeddedChannel();
    PeerState p = new PeerState(new SyncConnection(ch, 1 << 20, 64), Instant.ofEpochSecond(1_765_152_470L, 197_113_990));
    assertNull(p.known("co_zA"));
    assertFalse(p.subscribed("co_zA"));
    assertFalse(p.errored("co_zA"));
    assertFalse(p.holdsTables(), "reads leave an idle client without tables");

    p.replace(KnownState.empty("co_zA"));
    assertTrue(p.holdsTables());
    assertTrue(p.subscribed("co_zA"));
    assertTrue(p.sending().add("co_zA"));
    assertFalse(p.sending().add("co_zA"));
    assertTrue(p.told().add("co_zA"));
    p.markErrored("co_zB");
    assertTrue(p.errored("co_zB"));
    assertTrue(p.reads() == p.reads(), "one lane per client");
    ch.finishAndReleaseAll();
  }

  @Test
  void aClientIsNamedByItsAddressAndConnectTimeAsBefore() {
    EmbeddedChannel ch = new EmbeddedChannel();
    Instant at = Instant.ofEpochSecond(1_765_152_470L, 197_113_990);
    PeerState p = new PeerState(new SyncConnection(ch, 1 << 20, 64), at);
    assertEquals(ch.remoteAddress() + "@" + at, p.toString());
    assertEquals("other regions", new PeerState("other regions", SyncConnection.detached(() -> {})).toString());
    ch.finishAndReleaseAll();
  }
}
