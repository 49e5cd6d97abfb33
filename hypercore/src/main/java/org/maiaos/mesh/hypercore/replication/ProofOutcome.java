package org.maiaos.mesh.hypercore.replication;

import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.tree.VerifiedProof;

/**
 * What became of one proof of a {@link Replicable#verifyAndStoreBlocks} run: exactly one of
 * {@code proof} (verified and stored) and {@code error} (why it was refused) is set.
 */
public record ProofOutcome(VerifiedProof proof, HypercoreException error) {
  public ProofOutcome {
    if ((proof == null) == (error == null)) throw new IllegalArgumentException("exactly one of proof and error");
  }
}
