package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;

/** Known answers: what cojson 0.20.19's Rust core wrote back for these wire transactions. */
class CanonicalTransactionTest {
  private static void same(String expected, String wire) {
    assertEquals(expected, CanonicalTransaction.of(wire), wire);
  }

  private static void rejected(String wire) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> CanonicalTransaction.of(wire), wire);
    assertEquals(SyncError.INVALID_TRANSACTION, e.code(), wire);
  }

  @Test
  void trustingFieldsAreSortedAndUnknownOnesDropped() {
    same("{\"changes\":\"[]\",\"madeAt\":5,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\"}");
    same("{\"changes\":\"[]\",\"madeAt\":5,\"meta\":\"{}\",\"privacy\":\"trusting\"}", "{\"meta\":\"{}\",\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\"}");
    same("{\"changes\":\"[]\",\"madeAt\":5,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\",\"x\":[1,{\"y\":null}]}");
  }

  @Test
  void metaNullAndMetaAbsentHashTheSame() {
    same("{\"changes\":\"[]\",\"madeAt\":5,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\",\"meta\":null}");
    same("{\"encryptedChanges\":\"encrypted_Uabc\",\"keyUsed\":\"key_z1\",\"madeAt\":5,\"privacy\":\"private\"}",
        "{\"privacy\":\"private\",\"madeAt\":5,\"keyUsed\":\"key_z1\",\"encryptedChanges\":\"encrypted_Uabc\",\"meta\":null}");
    same("{\"encryptedChanges\":\"encrypted_Uabc\",\"keyUsed\":\"key_z1\",\"madeAt\":5,\"meta\":\"encrypted_Uq\",\"privacy\":\"private\"}",
        "{\"privacy\":\"private\",\"madeAt\":5,\"keyUsed\":\"key_z1\",\"encryptedChanges\":\"encrypted_Uabc\",\"meta\":\"encrypted_Uq\"}");
  }

  @Test
  void metaThatIsNotAStringIsRejected() {
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\",\"meta\":{}}");
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\",\"meta\":5}");
    rejected("{\"privacy\":\"private\",\"madeAt\":5,\"keyUsed\":\"k\",\"encryptedChanges\":\"e\",\"meta\":5,\"changes\":\"c\"}");
  }

  @Test
  void theShapeNotThePrivacyFieldPicksTheVariant() {
    same("{\"changes\":\"[]\",\"madeAt\":5,\"privacy\":\"trusting\"}", "{\"privacy\":\"whatever\",\"madeAt\":5,\"changes\":\"[]\"}");
    same("{\"encryptedChanges\":\"encrypted_Uabc\",\"keyUsed\":\"key_z1\",\"madeAt\":5,\"privacy\":\"private\"}",
        "{\"privacy\":\"trusting\",\"madeAt\":5,\"keyUsed\":\"key_z1\",\"encryptedChanges\":\"encrypted_Uabc\",\"changes\":\"[]\"}");
    same("{\"changes\":\"[1]\",\"madeAt\":5,\"privacy\":\"trusting\"}", "{\"privacy\":\"private\",\"madeAt\":5,\"encryptedChanges\":\"e\",\"changes\":\"[1]\"}");
    rejected("{\"madeAt\":5,\"changes\":\"[]\"}");
    rejected("{\"privacy\":1,\"madeAt\":5,\"changes\":\"[]\"}");
    rejected("{\"privacy\":\"private\",\"madeAt\":5,\"encryptedChanges\":\"encrypted_Uabc\"}");
    rejected("{\"privacy\":\"private\",\"madeAt\":5,\"keyUsed\":1,\"encryptedChanges\":\"encrypted_Uabc\"}");
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":5}");
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5}");
  }

  @Test
  void madeAtIsAJavaScriptNumberThatMustBeAU64() {
    same("{\"changes\":\"[]\",\"madeAt\":1000,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":1e3,\"changes\":\"[]\"}");
    same("{\"changes\":\"[]\",\"madeAt\":5,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":5.0,\"changes\":\"[]\"}");
    same("{\"changes\":\"[]\",\"madeAt\":0,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":-0,\"changes\":\"[]\"}");
    same("{\"changes\":\"[]\",\"madeAt\":9007199254740992,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":9007199254740993,\"changes\":\"[]\"}");
    same("{\"changes\":\"[]\",\"madeAt\":18446744073709550000,\"privacy\":\"trusting\"}",
        "{\"privacy\":\"trusting\",\"madeAt\":18446744073709549568,\"changes\":\"[]\"}");
    for (String m : new String[] {"5.5", "-1", "18446744073709551616", "1e20", "1e21", "1e400", "\"5\"", "null", "true"}) {
      rejected("{\"privacy\":\"trusting\",\"madeAt\":" + m + ",\"changes\":\"[]\"}");
    }
    rejected("{\"privacy\":\"trusting\",\"changes\":\"[]\"}");
    rejected("{\"privacy\":\"private\",\"madeAt\":5.5,\"keyUsed\":\"k\",\"encryptedChanges\":\"e\",\"changes\":\"c\"}");
  }

  @Test
  void stringsAreEscapedAsSerdeJsonDoes() {
    same("{\"changes\":\"\\u0000\\u001f\\b\\f\\n\\r\\t\u007f\u2028\u00e9\ud83d\ude00/\\\"\\\\\",\"madeAt\":5,\"privacy\":\"trusting\"}",
        "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"\\u0000\\u001F\\b\\f\\n\\r\\t\\u007f\\u2028\\u00e9\\ud83d\\ude00\\/\\\"\\\\\"}");
    same("{\"encryptedChanges\":\"zz\\\"q\\\\\",\"keyUsed\":\"k\",\"madeAt\":5,\"privacy\":\"private\"}",
        "{\"privacy\":\"private\",\"madeAt\":5,\"keyUsed\":\"k\",\"encryptedChanges\":\"zz\\\"q\\\\\"}");
  }

  @Test
  void aLoneSurrogateAnywhereIsRejected() {
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"\\ud800\"}");
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"\\udc00x\"}");
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\",\"x\":{\"y\":[\"\\ud800\"]}}");
    rejected("{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\",\"\\udfff\":1}");
  }

  @Test
  void theLastOfDuplicateKeysWinsAsInJsonParse() {
    same("{\"changes\":\"b\",\"madeAt\":5,\"privacy\":\"trusting\"}", "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"a\",\"changes\":\"b\"}");
  }

  @Test
  void rejectsWhatIsNotOneTransactionObject() {
    for (String bad : new String[] {"[1]", "null", "\"tx\"", "", "{", "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\"} {}", "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"[]\"}]"}) {
      rejected(bad);
    }
  }

  @Test
  void utf8IsTheCanonicalTextsBytes() {
    String wire = "{\"privacy\":\"trusting\",\"madeAt\":5,\"changes\":\"\u00e9\"}";
    assertEquals(CanonicalTransaction.of(wire), new String(CanonicalTransaction.utf8(wire), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(CanonicalTransaction.of(wire).length() + 1, CanonicalTransaction.utf8(wire).length);
  }
}
