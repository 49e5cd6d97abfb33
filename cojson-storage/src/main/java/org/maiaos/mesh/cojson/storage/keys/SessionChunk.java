package org.maiaos.mesh.cojson.storage.keys;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of a chunk key: consecutive transactions of one session (their JSON text as received)
 * and, when the chunk ends where a signature was saved, that signature ({@code signatureAfter}).
 * A sealed chunk is never extended; an unsealed one may be rewritten with more transactions.
 *
 * <p>Encoding: {@code u8 version=1, u8 flags (bit 0: sealed), [string signature], uvarint count,
 * count x string tx}; strings are uvarint length + UTF-8.
 */
public record SessionChunk(long firstIdx, List<String> transactions, String signature) {
  private static final int VERSION = 1;

  public SessionChunk {
    transactions = List.copyOf(transactions);
  }

  public boolean sealed() {
    return signature != null;
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
    Bytes.Writer w = new Bytes.Writer().u8(VERSION).u8(sealed() ? 1 : 0);
    if (sealed()) w.string(signature);
    w.uvarint(transactions.size());
    for (String t : transactions) w.string(t);
    return w.toByteArray();
  }

  /** Decodes a chunk value; STORAGE_CORRUPT when it is truncated, oversized or of another version. */
  public static SessionChunk decode(long firstIdx, byte[] value) {
    Bytes.Reader r = new Bytes.Reader(value, "chunk");
    if (r.u8() != VERSION) throw r.corrupt("unknown version");
    int flags = r.u8();
    String sig = (flags & 1) != 0 ? r.string() : null;
    int n = r.count();
    List<String> txs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) txs.add(r.string());
    r.end();
    return new SessionChunk(firstIdx, txs, sig);
  }
}
