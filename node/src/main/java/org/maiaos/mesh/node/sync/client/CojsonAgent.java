package org.maiaos.mesh.node.sync.client;

import java.security.SecureRandom;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.node.sync.verify.AgentIds;

/**
 * A cojson agent as a client holds it ({@code cojson/src/ids.ts AgentID}):
 * {@code sealer_z<X25519 public>/signer_z<Ed25519 public>}. The sealer half is 32 random bytes: a
 * sync server never seals or unseals, it only needs the signer to check session signatures. The
 * signer is a real Ed25519 key pair (hypercore's libsodium binding), so its signatures verify.
 */
public record CojsonAgent(String sealerId, KeyPair signer) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new agent: a random sealer half and a new Ed25519 key pair. */
  public static CojsonAgent random() {
    return new CojsonAgent(AgentIds.SEALER_PREFIX + Base58.encode(randomBytes(32)), Ed25519.keyPair());
  }

  /** The AgentID. */
  public String id() {
    return sealerId + "/" + AgentIds.signerId(signer.publicKey());
  }

  /** {@code sign(message)} as {@code signature_z<base58>}. */
  public String sign(byte[] message) {
    return "signature_z" + Base58.encode(Ed25519.sign(message, signer));
  }

  /** {@code n} bytes from the agent's secure random source (IDs, uniqueness, session suffixes). */
  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** {@code crypto.newRandomSessionID}'s random part: {@code z} + base58 of 8 random bytes. */
  static String randomSessionSuffix() {
    return "z" + Base58.encode(randomBytes(8));
  }

  /** A well-formed CoValue ID no header hashes to (as far as anyone will ever know). */
  public static String unknownCoValueId() {
    return "co_z" + Base58.encode(randomBytes(19));
  }

  @Override
  public String toString() {
    return "CojsonAgent " + id();
  }
}
