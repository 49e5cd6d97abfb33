package org.maiaos.mesh.node.sync;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;

/** TEMPORARY local adapter (replaced by the verify package's API at merge). */
final class Verification {
  String checkHeader(CoValueHeader h) {
    return null;
  }

  Key32 signerOfAgent(String agentId) {
    return signerOf(agentId);
  }

  Key32 signerOfAccount(CoValueHeader account) {
    return signerOf(account.tree().path("ruleset").path("initialAdmin").asText());
  }

  SessionChain newChain(Key32 signer) {
    return new Chain(signer, new Blake3Digest(256), 0);
  }

  SessionChain replay(Key32 signer, List<Transaction> stored) {
    Blake3Digest d = new Blake3Digest(256);
    for (Transaction t : stored) {
      byte[] b = canon(t.raw()).getBytes(StandardCharsets.UTF_8);
      d.update(b, 0, b.length);
    }
    return new Chain(signer, d, stored.size());
  }

  String sessionsHash(KnownState k) {
    StringBuilder sb = new StringBuilder("{");
    k.sessions().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
      if (sb.length() > 1) sb.append(',');
      org.maiaos.mesh.hypercore.encoding.JsonStringify.appendString(sb, e.getKey());
      sb.append(':').append(e.getValue());
    });
    sb.append('}');
    byte[] h = org.maiaos.mesh.cojson.storage.model.Blake3.hash(sb.toString().getBytes(StandardCharsets.UTF_8), 19);
    return "shortHash_z" + Base58.encode(h);
  }

  static Key32 signerOf(String agent) {
    int at = agent.indexOf("/signer_z");
    return Key32.of(Base58.decode(agent.substring(at + "/signer_z".length())));
  }

  static String canon(String raw) {
    try {
      com.fasterxml.jackson.databind.JsonNode n = org.maiaos.mesh.cojson.storage.model.Json.MAPPER.readTree(raw);
      StringBuilder sb = new StringBuilder("{");
      boolean trusting = "trusting".equals(n.path("privacy").asText());
      if (trusting) { sb.append("\"changes\":"); org.maiaos.mesh.hypercore.encoding.JsonStringify.appendString(sb, n.get("changes").asText()); }
      else { sb.append("\"encryptedChanges\":"); org.maiaos.mesh.hypercore.encoding.JsonStringify.appendString(sb, n.get("encryptedChanges").asText());
        sb.append(",\"keyUsed\":"); org.maiaos.mesh.hypercore.encoding.JsonStringify.appendString(sb, n.get("keyUsed").asText()); }
      sb.append(",\"madeAt\":").append(n.get("madeAt").asLong());
      if (n.hasNonNull("meta")) { sb.append(",\"meta\":"); org.maiaos.mesh.hypercore.encoding.JsonStringify.appendString(sb, n.get("meta").asText()); }
      sb.append(",\"privacy\":\"").append(trusting ? "trusting" : "private").append("\"}");
      return sb.toString();
    } catch (Exception e) { throw new IllegalArgumentException(e); }
  }

  private static final class Chain implements SessionChain {
    private final Key32 signer;
    private Blake3Digest digest;
    private long count;

    Chain(Key32 signer, Blake3Digest d, long count) {
      this.signer = signer;
      this.digest = d;
      this.count = count;
    }

    @Override
    public long count() {
      return count;
    }

    @Override
    public String append(List<Transaction> txs, String lastSignature) {
      Blake3Digest next = new Blake3Digest(digest);
      for (Transaction t : txs) {
        byte[] b = canon(t.raw()).getBytes(StandardCharsets.UTF_8);
        next.update(b, 0, b.length);
      }
      byte[] out = new byte[32];
      new Blake3Digest(next).doFinal(out, 0);
      String msg = "\"hash_z" + Base58.encode(out) + "\"";
      byte[] sig;
      try {
        sig = Base58.decode(lastSignature.substring("signature_z".length()));
      } catch (RuntimeException e) {
        return "signature is not base58";
      }
      if (sig.length != 64 || !Ed25519.verify(msg.getBytes(StandardCharsets.UTF_8), sig, signer)) return "invalid signature";
      digest = next;
      count += txs.size();
      return null;
    }
  }
}
