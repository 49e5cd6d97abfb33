package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

class StorageWorkerTest {
  private static final String SESSION = "co_zAccountAccountAccountAcc1_session_zWorker1";

  @TempDir Path tmp;

  @Test
  void aReadOfDurableContentRunsWhileAGroupCommitWaitsForItsSync() throws Exception {
    ExecutorService engine = Executors.newSingleThreadExecutor();
    CountDownLatch inCommit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (HyperbeeStorage bee = HyperbeeStorage.open(tmp.resolve("bee"))) {
      ContentMessage first = content("first", 0);
      bee.storeAll(List.of(first));
      StorageApi slowSync = commitsWaitFor(bee, inCommit, release);
      StorageWorker worker = new StorageWorker(slowSync, engine, 100);
      try {
        CompletableFuture<KnownState> stored = new CompletableFuture<>();
        worker.store(content("second", 0), stored::complete, stored::completeExceptionally);
        assertTrue(inCommit.await(60, TimeUnit.SECONDS));
        CompletableFuture<Optional<StorageApi.StoredHead>> read = new CompletableFuture<>();
        worker.read(() -> read.complete(slowSync.loadHead(first.id())));
        assertEquals(1, read.get(60, TimeUnit.SECONDS).orElseThrow().knownState().count(SESSION), "read beside the commit");
        assertFalse(stored.isDone(), "the commit is still held");
        release.countDown();
        assertEquals(1, stored.get(60, TimeUnit.SECONDS).count(SESSION));
      } finally {
        release.countDown();
        worker.close();
      }
    } finally {
      engine.shutdownNow();
    }
  }

  /** {@code storage}, whose group commits hold until {@code release} (as a slow sync would). */
  private static StorageApi commitsWaitFor(StorageApi storage, CountDownLatch inCommit, CountDownLatch release) {
    return (StorageApi) Proxy.newProxyInstance(StorageApi.class.getClassLoader(), new Class<?>[] {StorageApi.class}, (proxy, m, args) -> {
      if (m.getName().equals("storeAll")) {
        inCommit.countDown();
        release.await(60, TimeUnit.SECONDS);
      }
      try {
        return m.invoke(storage, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  /** A new CoMap with one trusting transaction (storage does not verify; the engine does). */
  private static ContentMessage content(String uniqueness, long after) {
    CoValueHeader h = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":null,"
        + "\"createdAt\":null,\"uniqueness\":\"" + uniqueness + "\"}");
    Transaction tx = Transaction.parse("{\"privacy\":\"trusting\",\"madeAt\":1,\"changes\":\"[]\"}");
    return new ContentMessage(h.coValueId(), h, h.priority(), Map.of(SESSION, new SessionNewContent(after, List.of(tx), "signature_zTest")), null);
  }
}
