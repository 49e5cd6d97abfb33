package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StorageReadersTest {
  @Test
  void readsOfOneLaneRunOneAtATimeInTheOrderQueued() throws Exception {
    StorageReaders readers = new StorageReaders(3, 1000);
    try {
      StorageReaders.Lane lane = new StorageReaders.Lane();
      List<Integer> ran = new ArrayList<>();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(500);
      for (int i = 0; i < 500; i++) {
        int n = i;
        readers.read(lane, () -> {
          if (running.incrementAndGet() > 1) overlaps.incrementAndGet();
          synchronized (ran) {
            ran.add(n);
          }
          running.decrementAndGet();
          all.countDown();
        });
        if (i % 7 == 0) readers.read(() -> { }); // other lanes in between
      }
      assertTrue(all.await(60, TimeUnit.SECONDS));
      assertEquals(0, overlaps.get(), "two reads of one lane ran at once");
      for (int i = 0; i < 500; i++) assertEquals(i, ran.get(i), "read " + i + " ran out of order");
    } finally {
      readers.close(Duration.ofSeconds(10));
    }
  }

  @Test
  void aLaneWaitingOnASlowReadDoesNotHoldUpAnother() throws Exception {
    StorageReaders readers = new StorageReaders(2, 100);
    CountDownLatch release = new CountDownLatch(1);
    try {
      StorageReaders.Lane slow = new StorageReaders.Lane();
      CountDownLatch slowDone = new CountDownLatch(2);
      readers.read(slow, () -> {
        await(release);
        slowDone.countDown();
      });
      readers.read(slow, slowDone::countDown); // queued behind the blocked one on its lane
      CountDownLatch other = new CountDownLatch(1);
      readers.read(new StorageReaders.Lane(), other::countDown);
      assertTrue(other.await(60, TimeUnit.SECONDS), "another lane's read ran while the slow lane was blocked");
      assertEquals(2, slowDone.getCount(), "the slow lane's second read waited for its first");
      release.countDown();
      assertTrue(slowDone.await(60, TimeUnit.SECONDS));
    } finally {
      release.countDown();
      readers.close(Duration.ofSeconds(10));
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
