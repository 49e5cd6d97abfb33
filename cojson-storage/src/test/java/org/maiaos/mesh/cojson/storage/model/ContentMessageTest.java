package org.maiaos.mesh.cojson.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.Synthetic;
import org.maiaos.mesh.hypercore.HypercoreException;

class ContentMessageTest {
  private static final CoValueHeader HEADER = Synthetic.header("content-message-test");
  private static final String S = Synthetic.session(1);

  private static String valid() {
    return Synthetic.content(HEADER, true, S, Synthetic.slice(S, 0, 3, 40)).toJson();
  }

  private static void assertMalformed(String json, String fragment) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> ContentMessage.parse(json), json);
    assertTrue(e.getMessage().startsWith("MALFORMED_CONTENT: "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage() + " should mention " + fragment);
  }

  @Test
  void roundTripsByteForByte() {
    String json = valid();
    ContentMessage m = ContentMessage.parse(json);
    assertEquals(json, m.toJson());
    assertEquals(HEADER.coValueId(), m.id());
    assertEquals(3, m.sessions().get(S).newTransactions().size());
    assertEquals(3, m.sessions().get(S).end());
  }

  @Test
  void keepsHeaderAndTransactionTextAsReceivedEvenWithWhitespaceAndOtherKeyOrder() {
    String header = "{ \"uniqueness\" : \"content-message-test\", \"type\":\"comap\", \"ruleset\":{\"group\":\"" + Synthetic.GROUP
        + "\",\"type\":\"ownedByGroup\"},\"meta\":null,\"createdAt\":\"2026-11-23T22:57:03.701Z\" }";
    String tx = "{ \"madeAt\": 17, \"changes\": \"[\\u0041]\", \"privacy\": \"trusting\" }";
    String json = "{\"new\":{\"" + S + "\":{\"lastSignature\":\"signature_zX\",\"newTransactions\":[" + tx + "],\"after\":0}},"
        + "\"header\":" + header + ",\"id\":\"" + HEADER.coValueId() + "\",\"action\":\"content\",\"priority\":3,\"extra\":[1,2]}";
    ContentMessage m = ContentMessage.parse(json);
    assertEquals(header, m.header().raw());
    assertEquals(tx, m.sessions().get(S).newTransactions().get(0).raw());
    assertEquals("[A]", m.sessions().get(S).newTransactions().get(0).changes());
    assertTrue(m.toJson().contains(tx));
  }

  @Test
  void measuresTransactionsAsJavaScriptStringLengths() {
    String tx = "{\"privacy\":\"trusting\",\"madeAt\":1,\"changes\":\"\uD83D\uDE00\u00e9\"}";
    assertEquals(3, Transaction.parse(tx).size()); // UTF-16 units, like String.prototype.length
    String priv = "{\"privacy\":\"private\",\"madeAt\":1,\"keyUsed\":\"key_z1\",\"encryptedChanges\":\"encrypted_Uabcd\"}";
    assertEquals(15, Transaction.parse(priv).size());
  }

  @Test
  void acceptsAMessageWithoutHeader() {
    String json = Synthetic.content(HEADER, false, S, Synthetic.slice(S, 5, 2, 10)).toJson();
    ContentMessage m = ContentMessage.parse(json);
    assertNull(m.header());
    assertEquals(5, m.sessions().get(S).after());
  }

  @Test
  void rejectsWhatIsNotJsonOrNotAnObject() {
    String v = valid();
    assertMalformed(v.substring(0, v.length() - 1), "not JSON");
    assertMalformed("[1]", "not a JSON object");
    assertMalformed("", "not a JSON object");
    assertMalformed(v + "{}", "trailing");
  }

  @Test
  void rejectsMissingOrMistypedFields() {
    String v = valid();
    assertMalformed(v.replace("\"action\":\"content\",", ""), "action is missing");
    assertMalformed(v.replace("\"action\":\"content\"", "\"action\":\"load\""), "\"load\"");
    assertMalformed(v.replace("\"id\":\"" + HEADER.coValueId() + "\",", ""), "id missing");
    assertMalformed(v.replace(HEADER.coValueId(), "co_x123"), "not a CoValue ID");
    assertMalformed(v.replace("\"new\":{", "\"nu\":{"), "new missing");
    assertMalformed(v.replace("\"after\":0,", ""), ".after missing");
    assertMalformed(v.replace("\"newTransactions\":", "\"txs\":"), ".newTransactions missing");
    assertMalformed(v.replaceAll("\"lastSignature\":\"[^\"]*\"", "\"lastSignature\":\"x\""), "not a signature_z");
    assertMalformed(v.replaceAll(",\"lastSignature\":\"[^\"]*\"", ""), ".lastSignature missing");
    assertMalformed(v.replace("\"privacy\":\"trusting\"", "\"privacy\":\"public\""), "privacy");
    assertMalformed(v.replace("\"changes\":", "\"chunks\":"), "without a changes string");
    assertMalformed(v.replace("\"madeAt\":1795474623702", "\"madeAt\":-1"), "madeAt");
    assertMalformed(v.replace("\"madeAt\":1795474623702", "\"madeAt\":1.5"), "madeAt");
    assertMalformed(v.replace("\"newTransactions\":[", "\"newTransactions\":[5,"), "is not an object");
    assertMalformed(v.replace(S, "no-session-here"), "session ID");
  }

  @Test
  void rejectsNegativeFractionalAndOverflowingIndices() {
    String v = valid();
    assertMalformed(v.replace("\"after\":0", "\"after\":-1"), "negative");
    assertMalformed(v.replace("\"after\":0", "\"after\":1.0"), "not an integer");
    assertMalformed(v.replace("\"after\":0", "\"after\":99999999999999999999999"), "overflows");
    assertMalformed(v.replace("\"after\":0", "\"after\":2147483646"), "overflows the session length limit");
    assertMalformed(v.replace("\"after\":0", "\"after\":\"0\""), "not an integer");
  }

  @Test
  void rejectsAHeaderThatDoesNotHashToTheId() {
    String v = valid().replace("content-message-test", "content-message-tesT");
    assertMalformed(v, "hashes to");
  }

  @Test
  void enforcesTheMessageAndTransactionSizeLimitsAtTheLimitAndOnePast() {
    byte[] json = valid().getBytes(StandardCharsets.UTF_8);
    Limits atLimit = new Limits(json.length, 1 << 20, 1 << 20, 10, 10, Integer.MAX_VALUE, 128, 512, 256);
    ContentMessage.parse(json, atLimit);
    Limits onePast = new Limits(json.length - 1, 1 << 20, 1 << 20, 10, 10, Integer.MAX_VALUE, 128, 512, 256);
    HypercoreException e = assertThrows(HypercoreException.class, () -> ContentMessage.parse(json, onePast));
    assertTrue(e.getMessage().contains("over the limit"), e.getMessage());

    int txBytes = Synthetic.tx(S, 0, 40).raw().getBytes(StandardCharsets.UTF_8).length;
    String one = Synthetic.content(HEADER, true, S, Synthetic.slice(S, 0, 1, 40)).toJson();
    ContentMessage.parse(one.getBytes(StandardCharsets.UTF_8), new Limits(1 << 20, 1 << 20, txBytes, 10, 10, Integer.MAX_VALUE, 128, 512, 256));
    e = assertThrows(HypercoreException.class, () -> ContentMessage.parse(one.getBytes(StandardCharsets.UTF_8),
        new Limits(1 << 20, 1 << 20, txBytes - 1, 10, 10, Integer.MAX_VALUE, 128, 512, 256)));
    assertTrue(e.getMessage().contains("over the limit"), e.getMessage());

    Limits twoTxs = new Limits(1 << 20, 1 << 20, 1 << 20, 10, 2, Integer.MAX_VALUE, 128, 512, 256);
    e = assertThrows(HypercoreException.class, () -> ContentMessage.parse(valid().getBytes(StandardCharsets.UTF_8), twoTxs));
    assertTrue(e.getMessage().contains("more than 2 transactions"), e.getMessage());
  }

  @Test
  void knownStateSerialisesAsTheKnownMessageBody() {
    KnownState k = KnownState.empty("co_zA").withHeader(true).withSession(S, 4);
    assertEquals("{\"id\":\"co_zA\",\"header\":true,\"sessions\":{\"" + S + "\":4}}", k.toJson());
    assertTrue(k.sessionsInSyncWith(KnownState.empty("co_zA").withSession(S, 4)));
    assertTrue(!k.sessionsInSyncWith(KnownState.empty("co_zA")));
    assertEquals(Map.of(S, 4L), k.sessions());
  }
}
