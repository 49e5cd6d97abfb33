package org.maiaos.mesh.node.sync;

import java.util.List;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.node.sync.verify.HeaderRules;
import org.maiaos.mesh.node.sync.verify.SessionLog;
import org.maiaos.mesh.node.sync.verify.SessionsHash;
import org.maiaos.mesh.node.sync.verify.SignerResolver;

/**
 * Internal. The engine's view of {@link org.maiaos.mesh.node.sync.verify}: header rules, signers,
 * per-session signature chains and the reconcile hash, with failures turned into a reason string
 * for the log line (the engine decides what a failure means for the peer).
 */
final class Verification {
  /** Null when the header passes the rules the Rust core applies to a new value, else why not. */
  String checkHeader(CoValueHeader header) {
    try {
      HeaderRules.check(header);
      return null;
    } catch (HypercoreException e) {
      return e.getMessage();
    }
  }

  /** The signer of {@code sessionId}; {@code accountHeader} is the author account's (null for an agent author). */
  Key32 signer(String sessionId, CoValueHeader accountHeader) {
    return SignerResolver.signer(sessionId, accountHeader);
  }

  SessionChain newChain(String sessionId, Key32 signer) {
    return new Chain(SessionLog.empty(sessionId, signer));
  }

  /** A chain over transactions we stored (verified when they came in), hashed again without signature checks. */
  SessionChain replay(String sessionId, Key32 signer, List<Transaction> stored) {
    return new Chain(SessionLog.replay(sessionId, signer, stored, null));
  }

  String sessionsHash(KnownState k) {
    return SessionsHash.of(k);
  }

  private static final class Chain implements SessionChain {
    private final SessionLog log;

    Chain(SessionLog log) {
      this.log = log;
    }

    @Override
    public long count() {
      return log.count();
    }

    @Override
    public String append(List<Transaction> txs, String lastSignature) {
      try {
        log.append(log.count(), txs, lastSignature);
        return null;
      } catch (HypercoreException e) {
        return e.getMessage();
      }
    }
  }
}
