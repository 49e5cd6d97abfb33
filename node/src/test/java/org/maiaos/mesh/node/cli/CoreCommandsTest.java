package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mesh core ...} run in-process as a new user would try it. */
class CoreCommandsTest {
  private static final String SEED = "0101010101010101010101010101010101010101010101010101010101010101";

  @TempDir Path tmp;

  record Result(int code, byte[] out, String err) {
    String outText() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  static synchronized Result mesh(String stdin, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8)));
      int code = MeshCommand.run(args);
      System.out.flush();
      return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }

  @Test
  void createAppendInfoAndGetRoundTrip() throws Exception {
    Path dir = tmp.resolve("core");
    Result created = mesh(null, "core", "create", dir.toString(), "--seed", SEED);
    assertEquals(0, created.code(), created.err());
    String key = created.outText().trim();
    assertEquals(64, key.length());

    Path file = tmp.resolve("blob.bin");
    Files.write(file, new byte[] {0, 1, 2, (byte) 255});
    assertEquals(0, mesh(null, "core", "append", dir.toString(), file.toString()).code());
    Result appended = mesh("hello\nworld\r\n\nlast", "core", "append", dir.toString());
    assertEquals(0, appended.code(), appended.err());
    assertEquals("5", appended.outText().trim());

    Result info = mesh(null, "core", "info", dir.toString(), "--json");
    assertEquals(0, info.code(), info.err());
    String json = info.outText().trim();
    assertTrue(json.startsWith("{\"key\":\"" + key + "\",\"discoveryKey\":\""), json);
    assertTrue(json.contains("\"length\":5,\"byteLength\":18,\"fork\":0,\"treeHash\":\""), json);
    assertTrue(json.matches(".*\"signature\":\"0100[0-9a-f]{128}0000\"}"), json);
    assertEquals(1, info.outText().split("\n").length, "exactly one line of JSON");

    assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, mesh(null, "core", "get", dir.toString(), "0").out());
    assertEquals("world", mesh(null, "core", "get", dir.toString(), "2").outText());
    assertEquals("", mesh(null, "core", "get", dir.toString(), "3").outText());
    assertEquals("last", mesh(null, "core", "get", dir.toString(), "4").outText());
  }

  @Test
  void sameSeedGivesSameKeyAndCompatKeyIsThePublicKey() {
    String a = mesh(null, "core", "create", tmp.resolve("a").toString(), "--seed", SEED).outText().trim();
    String b = mesh(null, "core", "create", tmp.resolve("b").toString(), "--seed", SEED).outText().trim();
    String c = mesh(null, "core", "create", tmp.resolve("c").toString(), "--seed", SEED, "--compat").outText().trim();
    assertEquals(a, b);
    assertFalse(a.equals(c));
  }

  @Test
  void missingDirectoryIsAClearError() {
    Result r = mesh(null, "core", "info", tmp.resolve("nope").toString(), "--json");
    assertEquals(1, r.code());
    assertEquals(0, r.out().length);
    assertOneLineError(r, "no such directory");
  }

  @Test
  void wrongSeedLengthIsAClearError() {
    Result r = mesh(null, "core", "create", tmp.resolve("x").toString(), "--seed", "abcd");
    assertEquals(1, r.code());
    assertOneLineError(r, "BAD_ARGUMENT: --seed must be 64 hex characters");
    assertFalse(Files.exists(tmp.resolve("x")), "nothing created");
  }

  @Test
  void nonCoreDirectoryIsAClearError() throws Exception {
    Path d = tmp.resolve("plain");
    Files.createDirectories(d);
    Files.writeString(d.resolve("notes.txt"), "hi");
    Result r = mesh(null, "core", "info", d.toString());
    assertEquals(1, r.code());
    assertOneLineError(r, "not a hypercore directory");
  }

  @Test
  void outOfRangeIndexIsAClearError() {
    Path dir = tmp.resolve("core");
    mesh(null, "core", "create", dir.toString());
    mesh("a\nb\n", "core", "append", dir.toString());
    Result r = mesh(null, "core", "get", dir.toString(), "2");
    assertEquals(1, r.code());
    assertEquals(0, r.out().length);
    assertOneLineError(r, "BLOCK_NOT_AVAILABLE: block 2 is out of range (length 2)");
  }

  @Test
  void malformedArgumentsAreOneLineWithAPointerToHelp() {
    Result r = mesh(null, "core", "get", tmp.toString(), "abc");
    assertEquals(2, r.code());
    assertOneLineError(r, "BAD_ARGUMENT: Invalid value for positional parameter at index 1 (INDEX): 'abc' is not a long (see: mesh core get --help)");
  }

  @Test
  void debugFlagAddsTheStackTrace() {
    Result r = mesh(null, "core", "info", tmp.resolve("nope").toString(), "--debug");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  private static void assertOneLineError(Result r, String expected) {
    assertTrue(r.err().contains(expected), r.err());
    assertEquals(1, r.err().strip().split("\n").length, "one line, no stack trace: " + r.err());
  }
}
