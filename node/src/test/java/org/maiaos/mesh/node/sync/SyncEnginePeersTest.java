package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.node.sync.client.SyncClient;
import org.maiaos.mesh.node.sync.client.SyncFrames;

/** A client joins the engine's peers with its first message; an idle one costs the engine nothing. */
class SyncEnginePeersTest {
  @TempDir Path tmp;

  private static int enginePeers(SyncServer server) throws Exception {
    return server.engine().loop().submit(() -> server.engine().peers().size()).get(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleClientIsNotAmongTheEnginesPeersUntilItSendsSomething() throws Exception {
    try (SyncServer server = SyncServer.start(SyncServerConfig.defaults().withAddress("127.0.0.1", 0), HyperbeeStorage.open(tmp.resolve("bee")));
        SyncClient idle = SyncClient.connect("idle", server.url());
        SyncClient active = SyncClient.connect("active", server.url())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.clients() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
      assertEquals(2, server.clients());
      assertEquals(0, enginePeers(server), "connected, nothing sent");

      String id = "co_zNotThere1111111111111111";
      active.send(SyncFrames.load(id));
      active.awaitMessage(m -> "known".equals(m.path("action").asText()) && id.equals(m.path("id").asText()), Duration.ofSeconds(30));
      assertEquals(1, enginePeers(server), "the client that sent a message");

      active.close();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (enginePeers(server) > 0 && System.nanoTime() < deadline) Thread.sleep(10);
      assertEquals(0, enginePeers(server), "gone again once it disconnected");
      assertTrue(server.clients() >= 1);
    }
  }
}
