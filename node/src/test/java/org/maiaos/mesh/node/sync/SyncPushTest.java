package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.node.sync.client.CoValueDraft;
import org.maiaos.mesh.node.sync.client.CojsonWriter;
import org.maiaos.mesh.node.sync.client.SyncClient;
import org.maiaos.mesh.node.sync.client.SyncFrames;

/** A verified write reaches subscribers before it is durable; its sender's ack only after. */
class SyncPushTest {
  private static final Duration REPLY = Duration.ofSeconds(30);

  @TempDir Path tmp;

  /** Set to hold every group commit until it is counted down; null lets them through. */
  private volatile CountDownLatch hold;
  private final CountDownLatch held = new CountDownLatch(1);

  @Test
  void aSubscriberGetsAVerifiedWriteWhileItsCommitIsHeldAndTheSenderIsAckedOnlyAfter() throws Exception {
    try (HyperbeeStorage bee = HyperbeeStorage.open(tmp.resolve("bee"));
        SyncServer server = SyncServer.start(SyncServerConfig.defaults().withAddress("127.0.0.1", 0), heldCommits(bee));
        SyncClient writer = SyncClient.connect("writer", server.url());
        SyncClient reader = SyncClient.connect("reader", server.url())) {
      CojsonWriter alice = CojsonWriter.newAccount();
      CoValueDraft g = alice.newGroup();
      CoValueDraft m = alice.newMap(g, "n", "1");
      for (CoValueDraft v : List.of(alice.account(), g, m)) {
        writer.send(v.full());
        writer.awaitMessage(x -> isKnown(x, v.id()) && x.path("sessions").equals(v.knownState().path("sessions")), REPLY);
      }
      reader.send(SyncFrames.load(m.id()));
      reader.awaitMessage(x -> isContent(x, m.id()), REPLY);
      writer.quiet(Duration.ofMillis(100)); // what came so far is not looked at again

      CountDownLatch release = new CountDownLatch(1);
      hold = release;
      int n = m.count(alice.session());
      alice.set(m, "n", "2");
      writer.send(m.content(false, alice.session(), m.piece(alice.session(), n, n + 1)));
      try {
        JsonNode pushed = reader.awaitMessage(x -> isContent(x, m.id()) && x.path("new").path(alice.session()).path("after").asLong() == n, REPLY);
        assertEquals(1, pushed.path("new").path(alice.session()).path("newTransactions").size(), pushed.toString());
        assertTrue(held.await(30, TimeUnit.SECONDS), "the commit was reached");
        // the commit cannot finish before release, so no ack can be among what the writer got
        List<JsonNode> early = writer.quiet(Duration.ofMillis(200));
        assertTrue(early.stream().noneMatch(x -> isKnown(x, m.id())), "acknowledged before durable: " + early);
      } finally {
        hold = null;
        release.countDown();
      }
      writer.awaitMessage(x -> isKnown(x, m.id()) && x.path("sessions").path(alice.session()).asLong() == n + 1, REPLY);
    }
  }

  private StorageApi heldCommits(StorageApi storage) {
    return (StorageApi) Proxy.newProxyInstance(StorageApi.class.getClassLoader(), new Class<?>[] {StorageApi.class}, (proxy, method, args) -> {
      CountDownLatch h = hold;
      if (h != null && method.getName().equals("storeAll")) {
        held.countDown();
        h.await(60, TimeUnit.SECONDS);
      }
      try {
        return method.invoke(storage, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  private static boolean isKnown(JsonNode m, String id) {
    return "known".equals(m.path("action").asText()) && id.equals(m.path("id").asText());
  }

  private static boolean isContent(JsonNode m, String id) {
    return "content".equals(m.path("action").asText()) && id.equals(m.path("id").asText());
  }
}
