package org.maiaos.mesh.node.sync;

import java.util.List;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * Internal. The verification state of one session of one CoValue: how many transactions are
 * verified, and enough of their hash chain to check the signature of the next piece.
 */
interface SessionChain {
  long count();

  /**
   * Checks {@code txs}, appended at {@link #count()}, against {@code lastSignature}; advances on
   * success and changes nothing on failure.
   *
   * @return null when verified, else why not (for a log line)
   */
  String append(List<Transaction> txs, String lastSignature);
}
