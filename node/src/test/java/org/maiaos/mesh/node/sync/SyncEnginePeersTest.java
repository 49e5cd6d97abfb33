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

/**
 * A client joins the engine's peers with its first message; an idle one costs the engine nothing.
 * The engine's followers of a CoValue are the clients with a known state of it, until they go.
 */
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

  private static int followers(SyncServer server, String id) throws Exception {
    return server.engine().loop().submit(() -> server.engine().subscribers().of(id).length).get(10, TimeUnit.SECONDS);
  }

  private static void awaitKnown(SyncClient c, String id) {
    c.awaitMessage(m -> "known".equals(m.path("action").asText()) && id.equals(m.path("id").asText()), Duration.ofSeconds(30));
  }

  @Test
  void aCoValuesFollowersAreTheClientsThatLoadedItUntilTheyGo() throws Exception {
    try (SyncServer server = SyncServer.start(SyncServerConfig.defaults().withAddress("127.0.0.1", 0), HyperbeeStorage.open(tmp.resolve("bee")));
        SyncClient a = SyncClient.connect("a", server.url());
        SyncClient b = SyncClient.connect("b", server.url())) {
      String x = "co_zNotThere2222222222222222";
      String y = "co_zNotThere3333333333333333";
      a.send(SyncFrames.load(x));
      awaitKnown(a, x);
      b.send(SyncFrames.load(x));
      awaitKnown(b, x);
      b.send(SyncFrames.load(y));
      awaitKnown(b, y);
      b.send(SyncFrames.load(y)); // a second load of the same value: still one follower
      awaitKnown(b, y);
      assertEquals(2, followers(server, x));
      assertEquals(1, followers(server, y));
      assertEquals(0, followers(server, "co_zNeverAsked444444444444444"));

      b.close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (followers(server, y) > 0 && System.nanoTime() < deadline) Thread.sleep(10);
      assertEquals(1, followers(server, x), "a still follows x");
      assertEquals(0, followers(server, y), "nobody follows y");
      assertEquals(1, server.engine().loop().submit(() -> server.engine().subscribers().values()).get(10, TimeUnit.SECONDS),
          "a value nobody follows leaves no entry behind");
    }
  }
}
