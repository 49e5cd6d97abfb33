package org.maiaos.mesh.cojson.storage.model;

import java.util.List;

/**
 * One session's part of a {@code content} message ({@code sync.ts SessionNewContent}).
 *
 * @param after           how many transactions of the session the sender assumes the receiver holds
 *                        (the index of the first new one)
 * @param newTransactions contiguous transactions from index {@code after} on
 * @param lastSignature   signs the session prefix {@code [0 .. after + newTransactions.size() - 1]}
 */
public record SessionNewContent(long after, List<Transaction> newTransactions, String lastSignature) {
  public SessionNewContent {
    if (after < 0) throw org.maiaos.mesh.cojson.storage.StorageError.MALFORMED_CONTENT.error("after is negative (%d)", after);
    if (lastSignature == null) throw org.maiaos.mesh.cojson.storage.StorageError.MALFORMED_CONTENT.error("lastSignature missing");
    newTransactions = List.copyOf(newTransactions);
  }

  /** The transaction count the session reaches with this content. */
  public long end() {
    return after + newTransactions.size();
  }
}
