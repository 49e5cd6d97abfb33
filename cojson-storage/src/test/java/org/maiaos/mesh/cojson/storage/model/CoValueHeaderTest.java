package org.maiaos.mesh.cojson.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;

class CoValueHeaderTest {
  private static final String ACCOUNT = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":"
      + "\"sealer_zBe8eQoHh1V5W5nd2FtvtCYiecsK1CgaLiFz4A3qzoU9V/signer_z2rWWt2jDwGEY74qiDBfdVthuhWm6Pr7XUXvRd4cLdLrM\"},"
      + "\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}";

  @Test
  void blake3MatchesTheReferenceVectors() {
    assertEquals("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", HexFormat.of().formatHex(Blake3.hash(new byte[0], 32)));
    assertEquals("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
        HexFormat.of().formatHex(Blake3.hash("abc".getBytes(StandardCharsets.US_ASCII), 32)));
    assertEquals("af1349b9f5f9a1a6a0404dea36dcc9499bcb25", HexFormat.of().formatHex(Blake3.hash(new byte[0], 19)));
  }

  @Test
  void idIsCoZPlusBase58OfTheShortHashOfTheCanonicalHeader() {
    CoValueHeader h = CoValueHeader.parse(ACCOUNT);
    String canonical = "{\"createdAt\":null,\"meta\":{\"type\":\"account\"},\"ruleset\":{\"initialAdmin\":"
        + "\"sealer_zBe8eQoHh1V5W5nd2FtvtCYiecsK1CgaLiFz4A3qzoU9V/signer_z2rWWt2jDwGEY74qiDBfdVthuhWm6Pr7XUXvRd4cLdLrM\","
        + "\"type\":\"group\"},\"type\":\"comap\",\"uniqueness\":null}";
    assertEquals(canonical, h.canonicalJson());
    String expected = "co_z" + Base58.encode(Blake3.hash(canonical.getBytes(StandardCharsets.UTF_8), 19));
    assertEquals(expected, h.coValueId());
    assertTrue(CoValueIds.isWellFormed(h.coValueId(), 128));
  }

  @Test
  void idDoesNotDependOnWireKeyOrderOrWhitespace() {
    String reordered = "{ \"uniqueness\": null, \"createdAt\": null, \"meta\": {\"type\": \"account\"}, \"type\": \"comap\","
        + " \"ruleset\": {\"initialAdmin\": \"sealer_zBe8eQoHh1V5W5nd2FtvtCYiecsK1CgaLiFz4A3qzoU9V/signer_z2rWWt2jDwGEY74qiDBfdVthuhWm6Pr7XUXvRd4cLdLrM\", \"type\": \"group\"} }";
    CoValueHeader a = CoValueHeader.parse(ACCOUNT);
    CoValueHeader b = CoValueHeader.parse(reordered);
    assertEquals(a.coValueId(), b.coValueId());
    assertEquals(reordered, b.raw()); // the text as received is what storage keeps
    assertNotEquals(a, b);
  }

  @Test
  void anyChangeToTheHeaderChangesTheId() {
    assertNotEquals(CoValueHeader.parse(ACCOUNT).coValueId(), CoValueHeader.parse(ACCOUNT.replace("\"uniqueness\":null", "\"uniqueness\":1")).coValueId());
  }

  @Test
  void prioritiesFollowPriorityTs() {
    assertEquals(CoValueHeader.PRIORITY_HIGH, CoValueHeader.parse(ACCOUNT).priority());
    String owned = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zG\"},\"meta\":null,\"uniqueness\":\"u\"}";
    assertEquals(CoValueHeader.PRIORITY_MEDIUM, CoValueHeader.parse(owned).priority());
    assertEquals(Set.of("co_zG"), CoValueHeader.parse(owned).dependencies());
    String binary = owned.replace("comap", "costream").replace("\"meta\":null", "\"meta\":{\"type\":\"binary\",\"source\":\"co_zS\"}");
    assertEquals(CoValueHeader.PRIORITY_LOW, CoValueHeader.parse(binary).priority());
    assertEquals(Set.of("co_zG", "co_zS"), CoValueHeader.parse(binary).dependencies());
  }

  @Test
  void rejectsHeadersWithoutTypeOrRuleset() {
    for (String bad : new String[] {"[]", "{}", "{\"type\":\"comap\"}", "{\"type\":1,\"ruleset\":{\"type\":\"unsafeAllowAll\"}}",
        "{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\"}}", "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\"}}",
        "{\"type\":\"comap\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":5}", "{\"type\":"}) {
      HypercoreException e = assertThrows(HypercoreException.class, () -> CoValueHeader.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("MALFORMED_CONTENT: "), e.getMessage());
    }
  }
}
