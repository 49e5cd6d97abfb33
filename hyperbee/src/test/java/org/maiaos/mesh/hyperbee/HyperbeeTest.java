package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;

class HyperbeeTest {
  @TempDir Path tmp;
  private Hypercore core;
  private Hyperbee<String, String> bee;

  @BeforeEach
  void open() {
    core = Hypercore.create(tmp.resolve("core"), HypercoreOptions.defaults());
    bee = Hyperbee.open(core, HyperbeeOptions.builder(Encoding.UTF8, Encoding.UTF8).build());
  }

  @AfterEach
  void close() {
    bee.close();
    core.close();
  }

  private static List<String> keys(Iterable<Entry<String, String>> it) {
    List<String> out = new ArrayList<>();
    it.forEach(e -> out.add(e.key()));
    return out;
  }

  private List<String> range(Range<String> r) {
    return keys(bee.list(r));
  }

  private static HypercoreException code(CoreError code, Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(code, e.code());
    return e;
  }

  @Test
  void anEmptyBeeHasVersionOneAndNoHeaderUntilTheFirstWrite() {
    assertEquals(1, bee.version());
    assertTrue(bee.getHeader().isEmpty());
    assertTrue(bee.get("a").isEmpty());
    assertFalse(bee.del("missing"));
    assertEquals(1, core.length(), "a del of a missing key still writes the header");
    assertEquals("hyperbee", bee.getHeader().orElseThrow().protocol());
    assertTrue(Hyperbee.isHyperbee(core));
  }

  @Test
  void putGetOverwriteAndDelete() {
    assertTrue(bee.put("a", "1"));
    assertEquals(new Entry<>(1, "a", "1"), bee.get("a").orElseThrow());
    bee.put("a", "2");
    assertEquals(new Entry<>(2, "a", "2"), bee.get("a").orElseThrow());
    assertTrue(bee.del("a"));
    assertTrue(bee.get("a").isEmpty());
    assertEquals(4, bee.version());
  }

  @Test
  void aPutOfNullIsAPutWithoutValue() {
    bee.put("k", null);
    Entry<String, String> e = bee.get("k").orElseThrow();
    assertNull(e.value());
    bee.del("k");
    List<HistoryEntry<String, String>> h = new ArrayList<>();
    bee.history(Range.all()).forEachRemaining(h::add);
    assertEquals(List.of(new HistoryEntry<>(HistoryEntry.Type.PUT, 1, "k", null), new HistoryEntry<>(HistoryEntry.Type.DEL, 2, "k", null)), h);
  }

  @Test
  void alwaysDuplicateIsTheDefaultAndCanBeTurnedOff() {
    bee.put("a", "x");
    bee.put("a", "x");
    assertEquals(3, core.length());
    Hyperbee<String, String> dedup = Hyperbee.open(core, HyperbeeOptions.builder(Encoding.UTF8, Encoding.UTF8).alwaysDuplicate(false).build());
    assertFalse(dedup.put("a", "x"));
    assertTrue(dedup.put("a", "y"));
    assertEquals(4, core.length());
  }

  @Test
  void splitsKeepEveryKeyReachableInOrder() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String k = String.format("k%04d", (i * 7919) % 500);
      bee.put(k, "v" + i);
    }
    for (int i = 0; i < 500; i++) expected.add(String.format("k%04d", i));
    assertEquals(expected, range(Range.all()));
    List<String> reversed = new ArrayList<>(expected);
    java.util.Collections.reverse(reversed);
    assertEquals(reversed, range(Range.<String>all().reverse()));
    for (int i = 0; i < 500; i += 2) bee.del(String.format("k%04d", i));
    List<String> odd = new ArrayList<>();
    for (int i = 1; i < 500; i += 2) odd.add(String.format("k%04d", i));
    assertEquals(odd, range(Range.all()));
  }

  @Test
  void rangeBoundsReverseAndLimit() {
    for (String k : List.of("a", "b", "c", "d", "e")) bee.put(k, k);
    assertEquals(List.of("b", "c", "d"), range(Range.<String>all().gte("b").lte("d")));
    assertEquals(List.of("c"), range(Range.<String>all().gt("b").lt("d")));
    assertEquals(List.of("d", "c"), range(Range.<String>all().gt("b").lte("d").reverse()));
    assertEquals(List.of("a", "b"), range(Range.<String>all().limit(2)));
    assertEquals(List.of("e", "d"), range(Range.<String>all().reverse().limit(2)));
    assertEquals(List.of(), range(Range.<String>all().limit(0)));
    assertEquals("e", bee.peek(Range.<String>all().reverse()).orElseThrow().key());
    // as JS: the exclusive bound wins when both are given
    assertEquals(List.of("c", "d", "e"), range(Range.<String>all().gt("b").gte("a")));
  }

  @Test
  void subsPrefixKeysWithTheirNameAndASeparator() {
    Hyperbee<String, String> users = bee.sub("users");
    Hyperbee<String, String> admins = users.sub("admins");
    users.put("alice", "1");
    admins.put("root", "2");
    bee.put("zed", "3");
    users.put("", "empty key");
    assertEquals(List.of("users\0", "users\0admins\0root", "users\0alice", "zed"), keys(bee.list(Range.all())));
    assertEquals("1", users.get("alice").orElseThrow().value());
    assertEquals("2", admins.get("root").orElseThrow().value());
    assertTrue(bee.get("alice").isEmpty());
    // as JS: an unbounded sub scan includes nested subs and skips the sub's "" key
    assertEquals(List.of("admins\0root", "alice"), keys(users.list(Range.all())));
    assertEquals(List.of("root"), keys(admins.list(Range.all())));
    assertEquals("empty key", users.get("").orElseThrow().value());
  }

  @Test
  void aSubWithItsOwnSeparatorAndEncodings() {
    Hyperbee<byte[], JsonNode> docs = bee.sub("docs".getBytes(StandardCharsets.UTF_8), new byte[] {'/'}, Encoding.BINARY, Encoding.JSON);
    JsonNode v = new ObjectMapper().createObjectNode().put("n", 1);
    docs.put(new byte[] {1}, v);
    assertEquals(v, docs.get(new byte[] {1}).orElseThrow().value());
    assertArrayEquals("{\"n\":1}".getBytes(StandardCharsets.UTF_8), Hyperbee.open(core).get("docs/\1".getBytes(StandardCharsets.UTF_8)).orElseThrow().value());
  }

  @Test
  void checkoutsAndSnapshotsReadOldVersionsAndRefuseWrites() {
    bee.put("a", "1");
    Hyperbee<String, String> snap = bee.snapshot();
    bee.put("a", "2");
    bee.put("b", "3");
    assertEquals("1", snap.get("a").orElseThrow().value());
    assertEquals(List.of("a"), keys(snap.list(Range.all())));
    assertEquals("2", bee.checkout(3).get("a").orElseThrow().value());
    assertTrue(bee.checkout(0).get("a").isEmpty());
    code(CoreError.INVALID_OPERATION, () -> snap.put("c", "4"));
  }

  @Test
  void diffListsAddedChangedAndRemovedKeys() {
    bee.put("a", "1");
    bee.put("b", "1");
    long v = bee.version();
    bee.put("a", "2");
    bee.del("b");
    bee.put("c", "1");
    List<String> out = new ArrayList<>();
    bee.diff(v, Range.all()).forEachRemaining(d -> out.add((d.left() == null ? "-" : d.left().key() + "=" + d.left().value())
        + " " + (d.right() == null ? "-" : d.right().key() + "=" + d.right().value())));
    assertEquals(List.of("a=2 a=1", "- b=1", "c=1 -"), out);
    assertFalse(bee.diff(bee.version(), Range.all()).hasNext());
  }

  @Test
  void casDecidesWhetherAnExistingEntryIsReplaced() {
    bee.put("a", "1");
    assertFalse(bee.put("a", "2", (prev, next) -> false));
    assertTrue(bee.put("a", "2", (prev, next) -> prev.value().equals("1") && next.value().equals("2")));
    assertFalse(bee.del("a", (prev, next) -> false));
    assertEquals("2", bee.get("a").orElseThrow().value());
    assertTrue(bee.put("new", "x", (prev, next) -> false), "a new key is never checked");
  }

  @Test
  void aBatchIsAtomicAndReadsItsOwnWrites() {
    bee.put("x", "0");
    long before = core.length();
    try (Batch<String, String> b = bee.batch()) {
      b.put("a", "1");
      b.put("b", "2");
      b.del("x");
      assertEquals("1", b.get("a").orElseThrow().value());
      assertTrue(b.get("x").isEmpty());
      assertEquals(before, core.length(), "nothing is appended before flush");
      assertEquals(3, b.length());
      b.flush();
    }
    assertEquals(before + 3, core.length());
    assertEquals(List.of("a", "b"), range(Range.all()));
  }

  @Test
  void aClosedBatchLeavesNoTrace() {
    bee.put("x", "0");
    long before = core.length();
    try (Batch<String, String> b = bee.batch()) {
      b.put("a", "1");
    }
    assertEquals(before, core.length());
    assertTrue(bee.get("a").isEmpty());
    bee.put("b", "2"); // the lock was released
  }

  @Test
  void writingAroundAnOpenBatchOnTheSameThreadIsRefused() {
    try (Batch<String, String> b = bee.batch()) {
      b.put("a", "1");
      code(CoreError.INVALID_OPERATION, () -> bee.put("b", "2"));
    }
  }

  @Test
  void watchersSeeChangesInTheirRangeOnly() {
    List<Long> seen = new ArrayList<>();
    try (Watcher<String, String> w = bee.watch(Range.<String>all().gte("m"), (now, before) -> seen.add(now.version()))) {
      bee.put("a", "1");
      bee.put("n", "1");
      try (Batch<String, String> b = bee.batch()) {
        b.put("z", "1");
        b.put("y", "1");
        b.flush();
      }
      assertFalse(w.check());
    }
    bee.put("o", "1");
    assertEquals(List.of(3L, 5L), seen);
    code(CoreError.INVALID_OPERATION, () -> bee.sub("s").watch(Range.all(), (a, b) -> { }));
  }

  @Test
  void metadataIsWrittenIntoTheHeader() throws Exception {
    try (Hypercore c = Hypercore.create(tmp.resolve("meta"), HypercoreOptions.defaults())) {
      Hyperbee<byte[], byte[]> b = Hyperbee.open(c, HyperbeeOptions.builder(Encoding.BINARY, Encoding.BINARY).metadata(null, new byte[] {7}).build());
      b.put(new byte[] {1}, new byte[] {2});
      assertArrayEquals(new byte[] {7}, b.getHeader().orElseThrow().userData());
      assertNull(b.getHeader().orElseThrow().contentFeed());
    }
  }

  @Test
  void aReadOnlyBeeRefusesWrites() {
    Hyperbee<String, String> ro = Hyperbee.open(core, HyperbeeOptions.builder(Encoding.UTF8, Encoding.UTF8).readonly(true).build());
    code(CoreError.SESSION_NOT_WRITABLE, () -> ro.put("a", "b"));
    assertEquals(0, core.length());
  }

  @Test
  void getBySeqReadsAnyBlock() {
    bee.put("a", "1");
    bee.del("a");
    assertEquals(new Entry<>(1, "a", "1"), bee.getBySeq(1));
    assertEquals(new Entry<>(2, "a", null), bee.getBySeq(2));
    code(CoreError.BLOCK_NOT_AVAILABLE, () -> bee.getBySeq(3));
    code(CoreError.DECODING_ERROR, () -> bee.getBySeq(0));
  }
}
