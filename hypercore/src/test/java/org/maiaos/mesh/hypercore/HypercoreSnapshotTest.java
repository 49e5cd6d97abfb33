package org.maiaos.mesh.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/**
 * A read-only snapshot opened beside the writer that holds the core: it sees the whole commits made
 * before it opened (those still only in the oplog too), nothing later, never writes, and stays
 * whole while the writer appends and checkpoints under it; truncations in the oplog hide the
 * files' old blocks.
 */
class HypercoreSnapshotTest {
  @TempDir Path tmp;
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
  }

  private Hypercore writer() {
    return Hypercore.create(tmp.resolve("core"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build());
  }

  /** Block {@code i} of fork {@code fork}: its index and fork, then bytes from a seed of both. */
  private static byte[] block(long i, long fork, int size) {
    byte[] b = new byte[size];
    new Random(i * 31 + fork).nextBytes(b);
    ByteBuffer.wrap(b).putLong(i).putLong(fork);
    return b;
  }

  private static List<byte[]> blocks(long from, int n, long fork, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(block(from + i, fork, size));
    return out;
  }

  @Test
  void aSnapshotSeesWhatWasCommittedBeforeItOpenedAndNothingLater() {
    Path dir = tmp.resolve("core");
    try (Hypercore w = writer()) {
      w.append(blocks(0, 10, 0, 100));
      HypercoreException conflict = assertThrows(HypercoreException.class, () -> Hypercore.open(dir));
      assertEquals(CoreError.STORAGE_CONFLICT, conflict.code(), "the writer holds the directory");
      try (Hypercore s = Hypercore.openSnapshot(dir)) {
        assertEquals(10, s.length());
        assertArrayEquals(w.treeHash(), s.treeHash());
        for (int i = 0; i < 10; i++) assertArrayEquals(block(i, 0, 100), s.get(i));
        assertFalse(s.writable(), "a snapshot never writes, though the secret key is in the header");
        HypercoreException e = assertThrows(HypercoreException.class, () -> s.append(block(10, 0, 100)));
        assertEquals(CoreError.SESSION_NOT_WRITABLE, e.code());

        w.append(blocks(10, 5, 0, 100));
        assertEquals(10, s.length(), "what the writer commits later is not seen");
        assertFalse(s.has(12));
      }
      try (Hypercore s = Hypercore.openSnapshot(dir)) {
        assertEquals(15, s.length(), "a new snapshot sees it");
        assertArrayEquals(block(14, 0, 100), s.get(14));
      }
    }
  }

  @Test
  void aSnapshotLeavesATornOplogTailAsItFoundIt() throws Exception {
    Path dir = tmp.resolve("core");
    try (Hypercore w = writer()) {
      w.append(blocks(0, 3, 0, 50));
    }
    Path oplog = dir.resolve("oplog");
    byte[] torn = {(byte) 200, 0, 0, 0, 1, 2, 3}; // a frame header promising 200 bytes, then the crash
    Files.write(oplog, torn, StandardOpenOption.APPEND);
    long size = Files.size(oplog);
    try (Hypercore s = Hypercore.openSnapshot(dir)) {
      assertEquals(3, s.length());
    }
    assertEquals(size, Files.size(oplog), "the snapshot wrote nothing");
    try (Hypercore w = Hypercore.open(dir)) {
      assertEquals(3, w.length(), "the writer's own open recovers as before");
    }
  }

  @Test
  void truncationsInTheOplogHideTheFilesOldBlocks() {
    Path dir = tmp.resolve("core");
    try (Hypercore w = writer()) {
      // 12 MiB: the oplog passes its 8 MiB checkpoint size, so the first blocks are in the files
      w.append(blocks(0, 12, 0, 1 << 20));
      w.append(blocks(12, 4, 0, 100));
      w.truncate(6);
      w.append(blocks(6, 5, 1, 100)); // fork 1, in the oplog only
      try (Hypercore s = Hypercore.openSnapshot(dir)) {
        assertEquals(11, s.length());
        assertEquals(1, s.fork());
        assertArrayEquals(w.treeHash(), s.treeHash());
        for (int i = 0; i < 6; i++) assertArrayEquals(block(i, 0, 1 << 20), s.get(i), "block " + i);
        for (int i = 6; i < 11; i++) assertArrayEquals(block(i, 1, 100), s.get(i), "block " + i);
        assertFalse(s.has(11), "the old fork's blocks past the truncation are gone");
      }
      w.truncate(2);
      try (Hypercore s = Hypercore.openSnapshot(dir)) {
        assertEquals(2, s.length());
        assertEquals(2, s.fork());
        assertFalse(s.has(6));
        assertArrayEquals(block(1, 0, 1 << 20), s.get(1));
      }
    }
  }

  @Test
  void snapshotsTakenWhileTheWriterAppendsAndCheckpointsAreWhole() throws Exception {
    Path dir = tmp.resolve("core");
    int size = 200 << 10; // 8 MiB of oplog every ~40 blocks: a checkpoint every few batches
    int batches = 120;
    try (Hypercore w = writer()) {
      w.append(blocks(0, 4, 0, size));
      AtomicBoolean writing = new AtomicBoolean(true);
      Future<?> appends = pool.submit(() -> {
        try {
          for (int b = 1; b < batches; b++) w.append(blocks(4L * b, 4, 0, size));
        } finally {
          writing.set(false);
        }
        return null;
      });
      Random random = new Random(7);
      long last = 0;
      int snapshots = 0;
      while (writing.get() || snapshots < 5) {
        try (Hypercore s = Hypercore.openSnapshot(dir)) {
          long length = s.length();
          assertTrue(length >= last, "snapshots never go back: " + length + " after " + last);
          assertEquals(0, length % 4, "whole commits only: " + length);
          assertArrayEquals(block(length - 1, 0, size), s.get(length - 1));
          for (int k = 0; k < 8; k++) {
            long i = random.nextInt((int) length);
            assertArrayEquals(block(i, 0, size), s.get(i), "block " + i + " of a snapshot at " + length);
          }
          last = length;
          snapshots++;
        }
      }
      appends.get(60, TimeUnit.SECONDS);
      assertTrue(snapshots >= 5, "snapshots taken: " + snapshots);
      try (Hypercore s = Hypercore.openSnapshot(dir)) {
        assertEquals(4L * batches, s.length());
        assertArrayEquals(w.treeHash(), s.treeHash());
      }
    }
  }
}
