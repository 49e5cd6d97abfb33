package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.cojson.storage.model.Blake3;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

class SessionLogTest {
  private static final String SID = "co_zAccount_session_zABC";
  private final TestAgents.Agent agent = TestAgents.agent(3);
  private final TestAgents.Agent other = TestAgents.agent(4);

  /** Ten transactions, trusting and private, with meta and awkward characters. */
  private static List<Transaction> txs() {
    List<Transaction> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      if (i % 3 == 2) {
        out.add(Transaction.parse("{\"privacy\":\"private\",\"madeAt\":" + (1700000000000L + i) + ",\"keyUsed\":\"key_zK\",\"encryptedChanges\":\"encrypted_U" + i + "\""
            + (i % 2 == 0 ? ",\"meta\":\"encrypted_Um\"" : "") + "}"));
      } else {
        out.add(TestAgents.trusting(1700000000000L + i, "[{\"op\":\"set\",\"key\":\"k" + i + "\",\"value\":\"\u00e9 \\\" \\n \u0001 \ud83d\ude00\"}]", "{\"i\":" + i + "}"));
      }
    }
    return out;
  }

  private static List<String> canon(List<Transaction> txs) {
    return txs.stream().map(CanonicalTransaction::of).toList();
  }

  private String sigAfter(List<Transaction> all, int n) {
    return agent.sign(canon(all.subList(0, n)));
  }

  @Test
  void theSignedMessageIsTheQuotedHashText() {
    byte[] hash = Blake3.hash("x".getBytes(StandardCharsets.UTF_8), 32);
    assertArrayEquals(("\"hash_z" + Base58.encode(hash) + "\"").getBytes(StandardCharsets.UTF_8), SessionLog.signedMessage(hash));
  }

  @Test
  void hashIsBlake3OfAllCanonicalTextsFromIndexZero() {
    List<Transaction> all = txs();
    SessionLog log = SessionLog.empty(SID, agent.keys().publicKey());
    assertEquals("hash_z" + Base58.encode(Blake3.hash(new byte[0], 32)), log.hash());
    log.append(0, all.subList(0, 4), sigAfter(all, 4));
    log.append(4, all.subList(4, 10), sigAfter(all, 10));
    String concatenated = String.join("", canon(all));
    assertEquals("hash_z" + Base58.encode(Blake3.hash(concatenated.getBytes(StandardCharsets.UTF_8), 32)), log.hash());
    assertEquals(10, log.count());
    assertEquals(sigAfter(all, 10), log.lastSignature());
  }

  @Test
  void piecesOfAnySizeVerifyInOrder() {
    Random rnd = TestSeeds.random("piecesOfAnySizeVerifyInOrder");
    List<Transaction> all = txs();
    for (int run = 0; run < 20; run++) {
      SessionLog log = SessionLog.empty(SID, agent.keys().publicKey());
      int at = 0;
      while (at < all.size()) {
        int end = at + 1 + rnd.nextInt(all.size() - at);
        log.append(at, all.subList(at, end), sigAfter(all, end));
        at = end;
        assertEquals(at, log.count());
      }
    }
  }

  @Test
  void tamperedPiecesAreRejectedAndChangeNothing() {
    List<Transaction> all = txs();
    SessionLog log = SessionLog.empty(SID, agent.keys().publicKey());
    log.append(0, all.subList(0, 3), sigAfter(all, 3));
    List<Transaction> piece = all.subList(3, 7);
    String sig = sigAfter(all, 7);

    List<Transaction> flippedTx = new ArrayList<>(piece);
    flippedTx.set(1, TestAgents.trusting(1700000000004L, "[{\"op\":\"set\",\"key\":\"k4\",\"value\":\"X\"}]", "{\"i\":4}"));
    List<Transaction> flippedMadeAt = new ArrayList<>(piece);
    flippedMadeAt.set(0, Transaction.parse(piece.get(0).raw().replace("1700000000003", "1700000000004")));
    List<Transaction> reordered = new ArrayList<>(piece);
    reordered.set(0, piece.get(1));
    reordered.set(1, piece.get(0));
    String body = sig.substring("signature_z".length());
    char c0 = body.charAt(10);
    String flippedSig = "signature_z" + body.substring(0, 10) + (c0 == 'z' ? 'y' : 'z') + body.substring(11);

    rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(3, flippedTx, sig));
    rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(3, flippedMadeAt, sig));
    rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(3, reordered, sig));
    rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(3, piece.subList(0, 3), sig)); // truncated
    rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(3, piece, flippedSig));
    rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(3, piece, other.sign(canon(all.subList(0, 7))))); // another signer
    rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(3, piece, sigAfter(all, 3))); // an older signature
    rejects(log, SyncError.WRONG_COUNT, () -> log.append(2, piece, sig));
    rejects(log, SyncError.WRONG_COUNT, () -> log.append(4, piece, sig));
    rejects(log, SyncError.INVALID_TRANSACTION, () -> log.append(3, List.of(Transaction.stored("{\"privacy\":\"trusting\",\"madeAt\":1.5,\"changes\":\"[]\"}")), sig));

    log.append(new SessionNewContent(3, piece, sig)); // the original still verifies after all that
    assertEquals(7, log.count());
  }

  @Test
  void malformedSignaturesAreInvalidSignatures() {
    List<Transaction> all = txs();
    String sig = sigAfter(all, 2);
    String body = sig.substring("signature_z".length());
    byte[] shortSig = new byte[63];
    shortSig[0] = 1;
    for (String bad : new String[] {null, "", "signature_z", "signatur_z" + body, "signature_x" + body, "signature_z" + body.replace(body.charAt(5), '0'),
        "signature_z" + body + "2", "signature_z" + Base58.encode(shortSig), "signature_z" + "z".repeat(500)}) {
      SessionLog log = SessionLog.empty(SID, agent.keys().publicKey());
      rejects(log, SyncError.INVALID_SIGNATURE, () -> log.append(0, all.subList(0, 2), bad));
    }
  }

  @Test
  void anEmptyPieceIsANoOp() {
    SessionLog log = SessionLog.empty(SID, agent.keys().publicKey());
    log.append(0, List.of(), "signature_zwhatever");
    assertEquals(0, log.count());
    assertNull(log.lastSignature());
  }

  @Test
  void replayRebuildsTheStateAndChecksTheStoredSignature() {
    List<Transaction> all = txs();
    SessionLog replayed = SessionLog.replay(SID, agent.keys().publicKey(), all.subList(0, 6), sigAfter(all, 6));
    SessionLog unchecked = SessionLog.replay(SID, agent.keys().publicKey(), all.subList(0, 6), null);
    assertEquals(6, replayed.count());
    assertEquals(replayed.hash(), unchecked.hash());
    replayed.append(6, all.subList(6, 10), sigAfter(all, 10));
    assertEquals(10, replayed.count());

    List<Transaction> altered = new ArrayList<>(all.subList(0, 6));
    altered.remove(2);
    HypercoreException e = assertThrows(HypercoreException.class, () -> SessionLog.replay(SID, agent.keys().publicKey(), altered, sigAfter(all, 6)));
    assertEquals(SyncError.INVALID_SIGNATURE, e.code());
  }

  @Test
  void requiresASessionIdAndASigner() {
    assertEquals(SyncError.BAD_ARGUMENT, assertThrows(HypercoreException.class, () -> SessionLog.empty(null, agent.keys().publicKey())).code());
    assertEquals(SyncError.BAD_ARGUMENT, assertThrows(HypercoreException.class, () -> SessionLog.empty(SID, null)).code());
  }

  private static void rejects(SessionLog log, SyncError code, Executable call) {
    long count = log.count();
    String hash = log.hash();
    String sig = log.lastSignature();
    HypercoreException e = assertThrows(HypercoreException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(count, log.count());
    assertEquals(hash, log.hash());
    assertEquals(sig, log.lastSignature());
  }
}
