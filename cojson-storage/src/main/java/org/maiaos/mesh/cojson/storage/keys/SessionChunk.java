package org.maiaos.mesh.cojson.storage.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The value of a chunk key: consecutive transactions of one session (their JSON text as received)
 * and the session's signature at the chunk's end. The chunk is <em>sealed</em> when that signature
 * was saved as a load cut ({@code signatureAfter}); a sealed chunk is never extended, an unsealed
 * one may be rewritten with more transactions (and the newer end signature).
 *
 * <p>Encoding: {@code u8 version=2, u8 flags (bit 0: sealed), string signature, uvarint count,
 * count x string tx}; strings are uvarint length + UTF-8.
 */
public record SessionChunk(long firstIdx, List<String> transactions, String signature, boolean sealed) {
  private static final int VERSION = 2;

  public SessionChunk {
    transactions = List.copyOf(transactions);
    Objects.requireNonNull(signature, "signature");
  }

  /** Index after the last transaction. */
  public long end() {
    return firstIdx + transactions.size();
  }

  public long bytes() {
    long n = 0;
    for (String t : transactions) n += t.length();
    return n;
  }

  public byte[] encode() {
    Bytes.Writer w = new Bytes.Writer().u8(VERSION).u8(sealed ? 1 : 0).string(signature).uvarint(transactions.size());
    for (String t : transactions) w.string(t);
    return w.toByteArray();
  }

  /** Decodes a chunk value; STORAGE_CORRUPT when it is truncated, oversized or of another version. */
  public static SessionChunk decode(long firstIdx, byte[] value) {
    Bytes.Reader r = new Bytes.Reader(value, "chunk");
    if (r.u8() != VERSION) throw r.corrupt("unknown version");
    int flags = r.u8();
    if ((flags & ~1) != 0) throw r.corrupt("unknown flags");
    String sig = r.string();
    int n = r.count();
    if (n == 0) throw r.corrupt("no transactions");
    List<String> txs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) txs.add(r.string());
    r.end();
    return new SessionChunk(firstIdx, txs, sig, (flags & 1) != 0);
  }
}
