package org.maiaos.mesh.cojson.storage.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key layout of cojson data in a Hyperbee. Parts are joined by a 0x00 byte, which no CoValue
 * ID, session ID or peer ID contains, so a prefix never matches a longer ID; numbers are 8-byte
 * big-endian, so they sort as bytes do.
 *
 * <pre>
 * v 00 &lt;id&gt; 00 h                        header JSON, as received
 * v 00 &lt;id&gt; 00 s 00 &lt;session&gt; 00 &lt;u64&gt;   a chunk of consecutive transactions from index u64 with the
 *                                      signature at its end (sealed when that one was saved as a cut)
 * k 00 &lt;id&gt;                           the CoValue record: enumeration seq + per session lastIdx,
 *                                      lastSignature, bytesSinceLastSignature (the cached known state)
 * n 00 &lt;u64 seq&gt;                      enumeration: the seq-th stored CoValue ID (1-based, dense)
 * m 00 count                           number of stored CoValues (u64)
 * d 00 &lt;id&gt;                           deletion queue: 0 pending, 1 done
 * u 00 &lt;id&gt; 00 &lt;peer&gt;                 unsynced with peer
 * l 00 &lt;lock key&gt;                     reconciliation lock
 * </pre>
 *
 * One load is one range scan over {@link #coValueStart}..{@link #coValueEnd}: the header, then
 * every chunk in session and index order (a session's last chunk ends with its last signature). A
 * known state is one get of the record, which sits in its own range so that the B-tree nodes a
 * point get walks past hold other records (small blocks a cold cache soon needs anyway), not
 * headers and transaction chunks.
 */
public final class KeyLayout {
  private static final byte SEP = 0;

  private KeyLayout() {}

  public static byte[] header(String id) {
    return join(coValuePrefix(id), bytes("h"));
  }

  public static byte[] record(String id) {
    return join(bytes("k"), new byte[] {SEP}, bytes(id));
  }

  public static byte[] chunk(String id, String sessionId, long firstIdx) {
    return join(sessionPrefix(id, sessionId), u64(firstIdx));
  }

  /** Inclusive lower bound of everything stored for {@code id}. */
  public static byte[] coValueStart(String id) {
    return coValuePrefix(id);
  }

  /** Exclusive upper bound of everything stored for {@code id}. */
  public static byte[] coValueEnd(String id) {
    return after(coValuePrefix(id));
  }

  /** {@code v 00 id 00 s 00 session 00}: every chunk of one session follows it. */
  public static byte[] sessionPrefix(String id, String sessionId) {
    return join(coValuePrefix(id), bytes("s"), new byte[] {SEP}, bytes(sessionId), new byte[] {SEP});
  }

  /** The upper bound (exclusive) of keys starting with {@code prefix}. */
  public static byte[] after(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    throw new IllegalArgumentException("no upper bound for an all-0xff prefix");
  }

  /** Which kind of CoValue key this is ('h' or 's'), given it starts with the value's prefix. */
  public static byte kindOf(byte[] key, String id) {
    return key[coValuePrefix(id).length];
  }

  /** The session and first index of a chunk key of {@code id}. */
  public static ChunkKey parseChunk(byte[] key, String id) {
    int start = coValuePrefix(id).length + 2;
    int end = key.length - 9;
    if (end < start || key[end] != SEP || key[start - 1] != SEP) throw new IllegalArgumentException("not a chunk key");
    return new ChunkKey(new String(key, start, end - start, StandardCharsets.UTF_8), readU64(key, key.length - 8));
  }

  /** A chunk key's parts. */
  public record ChunkKey(String sessionId, long firstIdx) {}

  public static byte[] enumeration(long seq) {
    return join(bytes("n"), new byte[] {SEP}, u64(seq));
  }

  public static byte[] enumerationEnd() {
    return after(join(bytes("n"), new byte[] {SEP}));
  }

  public static byte[] count() {
    return join(bytes("m"), new byte[] {SEP}, bytes("count"));
  }

  public static byte[] deleted(String id) {
    return join(deletedPrefix(), bytes(id));
  }

  public static byte[] deletedPrefix() {
    return join(bytes("d"), new byte[] {SEP});
  }

  public static byte[] unsynced(String id, String peerId) {
    return join(unsyncedPrefix(id), bytes(peerId));
  }

  /** {@code u 00 id 00}; with a null id, {@code u 00}: all unsynced records. */
  public static byte[] unsyncedPrefix(String id) {
    return id == null ? join(bytes("u"), new byte[] {SEP}) : join(bytes("u"), new byte[] {SEP}, bytes(id), new byte[] {SEP});
  }

  /** The CoValue ID of an unsynced key. */
  public static String unsyncedId(byte[] key) {
    int start = 2;
    int end = start;
    while (end < key.length && key[end] != SEP) end++;
    return new String(key, start, end - start, StandardCharsets.UTF_8);
  }

  public static byte[] lock(String key) {
    return join(bytes("l"), new byte[] {SEP}, bytes(key));
  }

  /** 8 bytes big-endian. */
  public static byte[] u64(long v) {
    if (v < 0) throw new IllegalArgumentException("negative: " + v);
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--, v >>>= 8) b[i] = (byte) v;
    return b;
  }

  public static long readU64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | (b[off + i] & 0xff);
    return v;
  }

  private static byte[] coValuePrefix(String id) {
    return join(bytes("v"), new byte[] {SEP}, bytes(id), new byte[] {SEP});
  }

  private static byte[] bytes(String s) {
    if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a key part may not contain NUL");
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] join(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
