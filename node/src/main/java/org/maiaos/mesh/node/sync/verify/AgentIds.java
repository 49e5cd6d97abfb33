package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * AgentIDs ({@code sealer_z<X25519 public>/signer_z<Ed25519 public>}, {@code cojson/src/ids.ts})
 * and signer IDs ({@code signer_z…}). The sync server only needs the signer half: it verifies
 * session signatures and never seals.
 *
 * <p>cojson itself is looser: {@code isAgentID} only asks for a {@code sealer_} prefix and a
 * {@code /signer_} somewhere, {@code getAgentSignerID} takes the text after the first {@code /},
 * and the Rust core decodes after the first {@code _z} (an undecodable key makes it throw). We
 * insist on the exact shape real clients write: two 32-byte base58 keys joined by one {@code /}.
 */
public final class AgentIds {
  public static final String SEALER_PREFIX = "sealer_z";
  public static final String SIGNER_PREFIX = "signer_z";

  private AgentIds() {}

  /** cojson's {@code isAgentID}: the loose shape test the reference uses to tell agents from accounts. */
  public static boolean looksLikeAgentId(String id) {
    return id != null && id.startsWith("sealer_") && id.contains("/signer_");
  }

  /** The Ed25519 public key of an AgentID; INVALID_ID when it is not {@code sealer_z<32 B>/signer_z<32 B>}. */
  public static Key32 signerOfAgent(String agentId) {
    if (agentId == null) throw SyncError.INVALID_ID.error("AgentID missing");
    int slash = agentId.indexOf('/');
    if (slash < 0 || agentId.indexOf('/', slash + 1) >= 0) {
      throw SyncError.INVALID_ID.error("AgentID %s is not sealer_z…/signer_z…", abbreviate(agentId));
    }
    ZEncoded.decode(agentId.substring(0, slash), SEALER_PREFIX, Key32.BYTES, SyncError.INVALID_ID, "sealer of AgentID " + abbreviate(agentId));
    return signer(agentId.substring(slash + 1));
  }

  /** The Ed25519 public key of a {@code signer_z…} ID; INVALID_ID when malformed. */
  public static Key32 signer(String signerId) {
    return Key32.of(ZEncoded.decode(signerId, SIGNER_PREFIX, Key32.BYTES, SyncError.INVALID_ID, "signer ID " + abbreviate(signerId)));
  }

  /** {@code signer_z…} of a public key. */
  public static String signerId(Key32 publicKey) {
    return ZEncoded.encode(SIGNER_PREFIX, publicKey.toByteArray());
  }

  static String abbreviate(String s) {
    if (s == null) return "null";
    return s.length() <= 120 ? "\"" + s + "\"" : "\"" + s.substring(0, 120) + "…\"";
  }
}
