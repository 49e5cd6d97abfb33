package org.maiaos.mesh.node.sync.verify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.cojson.storage.model.Blake3;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

/**
 * Agents, accounts and signed sessions for the unit tests, made without the code under test: the
 * session hash is one BLAKE3 over the concatenated canonical texts (not a running hasher), and the
 * signed message is spelled out by hand.
 */
final class TestAgents {
  private TestAgents() {}

  /** An agent from a one-byte seed: its key pair and {@code sealer_z…/signer_z…}. */
  record Agent(KeyPair keys, String id) {
    String signerId() {
      return "signer_z" + Base58.encode(keys.publicKey().toByteArray());
    }

    /** {@code signature_z…} over the first transactions of a session, given as canonical texts. */
    String sign(List<String> canonicalFromZero) {
      StringBuilder all = new StringBuilder();
      for (String c : canonicalFromZero) all.append(c);
      byte[] hash = Blake3.hash(all.toString().getBytes(StandardCharsets.UTF_8), 32);
      byte[] message = ("\"hash_z" + Base58.encode(hash) + "\"").getBytes(StandardCharsets.UTF_8);
      return "signature_z" + Base58.encode(Ed25519.sign(message, keys));
    }
  }

  static Agent agent(int seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) seed);
    KeyPair kp = Ed25519.keyPair(s);
    byte[] sealer = new byte[32];
    Arrays.fill(sealer, (byte) (seed + 100));
    return new Agent(kp, "sealer_z" + Base58.encode(sealer) + "/signer_z" + Base58.encode(kp.publicKey().toByteArray()));
  }

  /** cojson's account header for an agent ({@code account.ts accountHeaderForInitialAgentSecret}). */
  static CoValueHeader accountHeader(Agent a) {
    return CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + a.id()
        + "\"},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}");
  }

  static Transaction trusting(long madeAt, String changesJson) {
    return Transaction.parse("{\"privacy\":\"trusting\",\"madeAt\":" + madeAt + ",\"changes\":" + org.maiaos.mesh.hypercore.encoding.JsonStringify.string(changesJson) + "}");
  }

  static Transaction trusting(long madeAt, String changesJson, String metaJson) {
    return Transaction.parse("{\"changes\":" + org.maiaos.mesh.hypercore.encoding.JsonStringify.string(changesJson) + ",\"madeAt\":" + madeAt
        + ",\"privacy\":\"trusting\",\"meta\":" + org.maiaos.mesh.hypercore.encoding.JsonStringify.string(metaJson) + "}");
  }

  /** {@code {"op":"set","key":key,"value":value}} as a one-change trusting transaction. */
  static Transaction set(long madeAt, String key, String value) {
    return trusting(madeAt, "[{\"op\":\"set\",\"key\":\"" + key + "\",\"value\":\"" + value + "\"}]");
  }
}
