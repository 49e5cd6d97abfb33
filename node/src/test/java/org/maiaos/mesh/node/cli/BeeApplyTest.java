package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.node.cli.CoreCommandsTest.Result;

/** {@code mesh bee apply} takes exactly one operation per line and refuses anything else by line number. */
class BeeApplyTest {
  @TempDir Path tmp;

  private Path bee() {
    Path dir = tmp.resolve("bee");
    assertEquals(0, CoreCommandsTest.mesh(null, "bee", "create", dir.toString()).code());
    return dir;
  }

  private static String get(Path dir, String key) {
    Result r = CoreCommandsTest.mesh(null, "bee", "get", dir.toString(), key, "--json");
    assertEquals(0, r.code(), r.err());
    return r.outText().trim();
  }

  private static void refused(Path dir, String stdin, String why) {
    Result r = CoreCommandsTest.mesh(stdin, "bee", "apply", dir.toString());
    assertEquals(1, r.code(), "accepted: " + stdin);
    assertTrue(r.err().startsWith("mesh: BAD_ARGUMENT: stdin line 2: "), r.err());
    assertTrue(r.err().contains(why), r.err());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
  }

  @Test
  void everyMalformedLineIsRefusedByNumberAndAppliesNothingOfItself() {
    Path dir = bee();
    String first = "{\"put\":[\"first\",\"1\"]}\n";
    refused(dir, first + "{\"put\":[\"a\",\"v\"]}{\"put\":[\"b\",\"v\"]}\n", "more than one JSON value");
    refused(dir, first + "{\"put\":[\"k\",\"v\"],\"del\":\"k1\"}\n", "one operation per object");
    refused(dir, first + "{\"put\":[\"k\",\"v\"]} trailing\n", "not JSON");
    refused(dir, first + "{\"put\":[\"k\",null]}\n", "both strings");
    refused(dir, first + "{\"put\":[\"k\",1]}\n", "both strings");
    refused(dir, first + "{\"put\":[\"k\"]}\n", "both strings");
    refused(dir, first + "{\"del\":7}\n", "string key");
    refused(dir, first + "{\"nope\":1}\n", "unknown operation \"nope\"");
    refused(dir, first + "{}\n", "one operation per object");
    refused(dir, first + "[1,2]\n", "not a JSON object");
    refused(dir, first + "{\"batch\":{}}\n", "must be an array");
    refused(dir, first + "{\"batch\":[{\"put\":[\"k\",\"v\"]},{\"batch\":[]}]}\n", "a batch holds only");
    refused(dir, first + "{\"batch\":[{\"put\":[\"k\",\"v\"]},{\"put\":[\"k2\",null]}]}\n", "both strings");
    // the line before the bad one stays applied (as the help says); nothing of a bad line is
    assertTrue(get(dir, "first").contains("\"value\":\"1\""));
    for (String k : new String[] {"a", "b", "k", "k1", "k2"}) assertEquals("{\"key\":\"" + k + "\",\"value\":null}", get(dir, k));
  }

  @Test
  void wellFormedLinesApplyInOrder() {
    Path dir = bee();
    Result r = CoreCommandsTest.mesh("{\"put\":[\"a\",\"1\"]}\n\n  {\"batch\":[{\"put\":[\"b\",\"2\"]},{\"del\":\"a\"}]}  \n{\"del\":\"zz\"}\n",
        "bee", "apply", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("{\"applied\":4,\"length\":4}", r.outText().trim());
    assertEquals("{\"key\":\"a\",\"value\":null}", get(dir, "a"));
    assertEquals("{\"key\":\"b\",\"value\":\"2\",\"seq\":2}", get(dir, "b"));
  }

  @Test
  void aLoneSurrogateIsStoredAsJsStoresIt() {
    Path dir = bee();
    assertEquals(0, CoreCommandsTest.mesh("{\"put\":[\"k\\ud800\",\"v\\udc00\"]}\n", "bee", "apply", dir.toString()).code());
    // JS Buffer.from writes U+FFFD (EF BF BD) for a lone surrogate, where Java's getBytes writes '?'
    Result r = CoreCommandsTest.mesh(null, "bee", "get", dir.toString(), "k\ufffd", "--json");
    assertEquals("{\"key\":\"k\ufffd\",\"value\":\"v\ufffd\",\"seq\":1}", r.outText().trim());
    assertEquals("{\"key\":\"k?\",\"value\":null}", get(dir, "k?"));
  }

  @Test
  void aPlainCoreIsNotTakenForABee() {
    Path dir = tmp.resolve("core");
    assertEquals(0, CoreCommandsTest.mesh(null, "core", "create", dir.toString()).code());
    assertEquals(0, CoreCommandsTest.mesh("not a bee header\n", "core", "append", dir.toString()).code());
    for (String[] args : new String[][] {{"bee", "range", dir.toString()}, {"bee", "get", dir.toString(), "k"}, {"bee", "apply", dir.toString()}}) {
      Result r = CoreCommandsTest.mesh("{\"put\":[\"k\",\"v\"]}\n", args);
      assertEquals(1, r.code(), String.join(" ", args));
      assertTrue(r.err().contains("is not a hyperbee"), r.err());
    }
    Result info = CoreCommandsTest.mesh(null, "core", "info", dir.toString(), "--json");
    assertTrue(info.outText().contains("\"length\":1,"), "apply wrote nothing onto the plain core: " + info.outText());
  }

  @Test
  void messagesNameTheRealProblem() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Result r = CoreCommandsTest.mesh(null, "core", "info", file.toString());
    assertEquals("mesh: BAD_ARGUMENT: not a directory: " + file, r.err().trim());
    String secret = "zz" + "ab".repeat(31);
    r = CoreCommandsTest.mesh(null, "core", "create", tmp.resolve("c").toString(), "--seed", secret);
    assertEquals(1, r.code());
    assertFalse(r.err().contains(secret.substring(2)), "the secret seed is never echoed: " + r.err());
  }

  @Test
  void anOversizedStdinLineFailsAtTheBlockLimitNotInTheHeap() throws Exception {
    Path dir = tmp.resolve("core");
    assertEquals(0, CoreCommandsTest.mesh(null, "core", "create", dir.toString()).code());
    // an endless line: the bound is checked while reading, so this stops one byte past the limit
    java.io.InputStream endless = new java.io.InputStream() {
      long served;

      @Override
      public int read() {
        served++;
        return 'x';
      }
    };
    CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
        () -> CoreCommands.Append.stdinLines(endless, 1 << 20, CoreCommands.Append.MAX_APPEND_BYTES));
    assertTrue(e.getMessage().contains("stdin line 1 is longer, over the"), e.getMessage());
    java.io.InputStream manyLines = new java.io.ByteArrayInputStream("ab\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> CoreCommands.Append.stdinLines(manyLines, 10, 200));
    assertTrue(e.getMessage().contains("the most one atomic append takes"), e.getMessage());
    assertEquals(3, CoreCommands.Append.stdinLines(new java.io.ByteArrayInputStream("a\r\nbb\nccc".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 3, 100).size());
  }

  @Test
  void helpIsACommandAtEveryLevel() {
    Result root = CoreCommandsTest.mesh(null, "help");
    assertEquals(0, root.code(), root.err());
    assertTrue(root.outText().contains("Examples:"), root.outText());
    Result apply = CoreCommandsTest.mesh(null, "bee", "help", "apply");
    assertEquals(0, apply.code(), apply.err());
    assertTrue(apply.outText().contains("one operation per line"), apply.outText());
    Result get = CoreCommandsTest.mesh(null, "core", "help", "get");
    assertTrue(get.outText().contains("INDEX") && get.outText().contains("The block index"), get.outText());
  }
}
