package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.hypercore.HypercoreException;

/** Known answers: what cojson 0.20.19's Rust core accepted, and how it wrote the header back. */
class HeaderRulesTest {
  private static final String RULESET = "\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zabc\"}";

  private static String header(String fields) {
    return "{\"type\":\"comap\"," + RULESET + ",\"meta\":null," + fields + "}";
  }

  private static void accepted(String json) {
    HeaderRules.check(CoValueHeader.parse(json));
  }

  private static void rejected(String json) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> HeaderRules.check(CoValueHeader.parse(json)), json);
    assertEquals(SyncError.INVALID_HEADER, e.code(), json);
  }

  @Test
  void theRustFormOfATypicalHeader() {
    String json = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zabc\"},\"meta\":null,\"uniqueness\":\"x\",\"createdAt\":\"2020\"}";
    assertEquals("{\"createdAt\":\"2020\",\"meta\":null,\"ruleset\":{\"group\":\"co_zabc\",\"type\":\"ownedByGroup\"},\"type\":\"comap\",\"uniqueness\":\"x\"}",
        HeaderRules.rustCanonical(CoValueHeader.parse(json).tree()));
    accepted(json);
  }

  @Test
  void uniquenessMayBeAStringBoolNullI64OrStringMap() {
    for (String u : new String[] {"\"x\"", "true", "false", "null", "15", "-15", "4611686018427387904", "{\"b\":\"x\",\"a\":\"y\"}", "{}", "\"\\u0001\\\"\u2028\u00e9\""}) {
      accepted(header("\"uniqueness\":" + u + ",\"createdAt\":\"2020\""));
    }
    for (String u : new String[] {"1.5", "9223372036854775808", "{\"\":\"x\"}", "{\"a\":1}", "{\"a\":{}}", "[\"a\"]", "\"\\ud800\""}) {
      rejected(header("\"uniqueness\":" + u + ",\"createdAt\":\"2020\""));
    }
    rejected("{\"type\":\"comap\"," + RULESET + ",\"meta\":null}");
  }

  @Test
  void createdAtIsAbsentNullOrAString() {
    accepted(header("\"uniqueness\":\"x\""));
    accepted(header("\"uniqueness\":\"x\",\"createdAt\":null"));
    rejected(header("\"uniqueness\":\"x\",\"createdAt\":5"));
  }

  @Test
  void aMissingMetaHashesAsNullSoAClientIdDoesNotMatch() {
    rejected("{\"type\":\"comap\"," + RULESET + ",\"uniqueness\":\"x\"}");
  }

  @Test
  void fieldsTheCoreDropsChangeTheId() {
    rejected(header("\"uniqueness\":\"x\",\"extra\":1"));
    rejected("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zabc\",\"x\":1},\"meta\":null,\"uniqueness\":\"x\"}");
    rejected("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zabc\",\"restrictDeletion\":null},\"meta\":null,\"uniqueness\":\"x\"}");
  }

  @Test
  void theThreeRulesets() {
    accepted("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zabc\",\"restrictDeletion\":true},\"meta\":null,\"uniqueness\":\"x\"}");
    accepted("{\"type\":\"comap\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":null,\"uniqueness\":\"x\"}");
    accepted("{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"sealer_z1/signer_z2\"},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}");
    rejected("{\"type\":\"comap\",\"ruleset\":{\"type\":\"foo\"},\"meta\":null,\"uniqueness\":\"x\"}");
    rejected("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zabc\",\"restrictDeletion\":\"yes\"},\"meta\":null,\"uniqueness\":\"x\"}");
  }

  @Test
  void metaIsHashedWithRustNumbersAndKeyOrder() {
    accepted(header("\"uniqueness\":\"x\"").replace("\"meta\":null", "\"meta\":{\"z\":{\"b\":[1,{\"y\":1,\"x\":2}],\"a\":null},\"f\":1.5,\"n\":-3}"));
    rejected(header("\"uniqueness\":\"x\"").replace("\"meta\":null", "\"meta\":{\"big\":1e21}"));
    rejected(header("\"uniqueness\":\"x\"").replace("\"meta\":null", "\"meta\":{\"small\":0.000001}"));
    rejected(header("\"uniqueness\":\"x\"").replace("\"meta\":null", "\"meta\":{\"\uffff\":1,\"\ud83d\ude00\":2}"));
    rejected(header("\"uniqueness\":\"x\"").replace("\"meta\":null", "\"meta\":{\"s\":\"\\udc00\"}"));
  }
}
