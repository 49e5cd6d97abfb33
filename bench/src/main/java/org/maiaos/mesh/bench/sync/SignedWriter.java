package org.maiaos.mesh.bench.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;
import org.maiaos.mesh.node.sync.verify.AgentIds;
import org.maiaos.mesh.node.sync.verify.CanonicalTransaction;
import org.maiaos.mesh.node.sync.verify.SessionLog;

/**
 * Makes valid cojson content for the load generator, as a real client signs it: an agent, its
 * account, a group the account administers (everyone may read), CoMaps owned by the group, and
 * per session the BLAKE3 chain over canonical transaction texts signed with Ed25519. Both
 * servers verify it, so it is the same work for both. Generated before anything is timed.
 */
public final class SignedWriter {
  private final Random random;
  private final KeyPair agentKeys;
  public final String agentId;
  public final String accountId;
  public final String accountHeader;
  public final String groupId;
  private final String groupHeader;
  private long clock = 1_796_000_000_000L;

  public SignedWriter(long seed) {
    this.random = new Random(seed);
    byte[] s = new byte[32];
    random.nextBytes(s);
    this.agentKeys = Ed25519.keyPair(s);
    byte[] sealer = new byte[32];
    random.nextBytes(sealer); // the sealer key is never used by a server; any 32 bytes are well-formed
    this.agentId = AgentIds.SEALER_PREFIX + Base58.encode(sealer) + "/" + AgentIds.signerId(agentKeys.publicKey());
    this.accountHeader = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":" + JsonStringify.string(agentId)
        + "},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}";
    this.accountId = CoValueHeader.parse(accountHeader).coValueId();
    this.groupHeader = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":" + JsonStringify.string(accountId)
        + "},\"meta\":null,\"createdAt\":\"2026-12-01T00:00:00.000Z\",\"uniqueness\":" + JsonStringify.string(uniqueness()) + "}";
    this.groupId = CoValueHeader.parse(groupHeader).coValueId();
  }

  /** A new session of the account ({@code <account>_session_z…}). */
  public String accountSession() {
    return accountId + "_session_z" + uniqueness();
  }

  private String uniqueness() {
    byte[] b = new byte[12];
    random.nextBytes(b);
    return "z" + Base58.encode(b);
  }

  /** The account's first content: the agent made admin of its own account, in the agent's session. */
  public String accountContent() {
    String sid = agentId + "_session_z" + uniqueness();
    Chain c = new Chain(sid);
    String tx = trusting("[{\"op\":\"set\",\"key\":" + JsonStringify.string(agentId) + ",\"value\":\"admin\"}]");
    return c.content(accountId, accountHeader, 0, List.of(tx));
  }

  /** The group's first content: the account admin, everyone a reader. */
  public String groupContent(String session) {
    Chain c = new Chain(session);
    List<String> txs = List.of(
        trusting("[{\"op\":\"set\",\"key\":" + JsonStringify.string(accountId) + ",\"value\":\"admin\"}]"),
        trusting("[{\"op\":\"set\",\"key\":\"everyone\",\"value\":\"reader\"}]"));
    return c.content(groupId, groupHeader, 0, txs);
  }

  /** A new CoMap owned by the group: its header text and id. */
  public String[] newMap() {
    String h = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":" + JsonStringify.string(groupId)
        + "},\"meta\":null,\"createdAt\":\"2026-12-01T00:00:00.000Z\",\"uniqueness\":" + JsonStringify.string(uniqueness()) + "}";
    return new String[] {h, CoValueHeader.parse(h).coValueId()};
  }

  /** A trusting transaction setting {@code key} to {@code value}. */
  public String set(String key, String value) {
    return trusting("[{\"op\":\"set\",\"key\":" + JsonStringify.string(key) + ",\"value\":" + JsonStringify.string(value) + "}]");
  }

  private String trusting(String changes) {
    return "{\"privacy\":\"trusting\",\"madeAt\":" + (clock++) + ",\"changes\":" + JsonStringify.string(changes) + "}";
  }

  /** One session's signing state: each piece extends the hash chain and is signed at its end. */
  public final class Chain {
    final String sessionId;
    private final Blake3Digest hasher = new Blake3Digest();
    private long count;

    public Chain(String sessionId) {
      this.sessionId = sessionId;
    }

    /** A content message carrying {@code txs} at the session's count, with {@code header} when not null. */
    public String content(String id, String header, int priority, List<String> txs) {
      for (String t : txs) {
        byte[] b = CanonicalTransaction.of(t).getBytes(StandardCharsets.UTF_8);
        hasher.update(b, 0, b.length);
      }
      byte[] hash = new byte[32];
      new Blake3Digest(hasher).doFinal(hash, 0);
      String sig = "signature_z" + Base58.encode(Ed25519.sign(SessionLog.signedMessage(hash), agentKeys));
      StringBuilder sb = new StringBuilder("{\"action\":\"content\",\"id\":").append(JsonStringify.string(id));
      if (header != null) sb.append(",\"header\":").append(header);
      sb.append(",\"priority\":").append(priority).append(",\"new\":{").append(JsonStringify.string(sessionId))
          .append(":{\"after\":").append(count).append(",\"newTransactions\":[").append(String.join(",", txs))
          .append("],\"lastSignature\":").append(JsonStringify.string(sig)).append("}}}");
      count += txs.size();
      return sb.toString();
    }

    public long count() {
      return count;
    }
  }

  List<String> listOf(String... s) {
    return new ArrayList<>(List.of(s));
  }
}
