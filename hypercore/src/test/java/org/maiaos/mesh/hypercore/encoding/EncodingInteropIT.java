package org.maiaos.mesh.hypercore.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * compact-encoding {@code uint}, {@code string} and {@code buffer}, and {@code JSON.stringify} of strings
 * and numbers ({@link JsonStringify}), against the JS packages
 * ({@code interop/encoding-vectors.js}): encodings of random values of every width are byte-equal
 * with compact-encoding 2 and 3, and random byte strings decode to the same value (or fail) on
 * both sides, including the 2^53-1 limit compact-encoding 3 enforces.
 */
class EncodingInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int N = 2_000;

  private static final List<Long> uints = new ArrayList<>();
  private static final List<byte[]> uintInputs = new ArrayList<>();
  private static final List<String> strings = new ArrayList<>();
  private static final List<byte[]> buffers = new ArrayList<>();
  private static final List<Double> doubles = new ArrayList<>();
  private static JsonNode js;

  private static long randomUint(Random rnd) {
    int bits = 1 + rnd.nextInt(53);
    return rnd.nextLong() >>> (64 - bits);
  }

  /** Random UTF-16, including lone surrogates (JS writes U+FFFD for each). */
  private static String randomString(Random rnd) {
    StringBuilder sb = new StringBuilder();
    for (int i = rnd.nextInt(40); i > 0; i--) {
      if (rnd.nextInt(20) == 0) {
        sb.append((char) (0xD800 + rnd.nextInt(0x800)));
        continue;
      }
      int kind = rnd.nextInt(4);
      int cp = kind == 0 ? rnd.nextInt(0x80) : kind == 1 ? 0x80 + rnd.nextInt(0x780)
          : kind == 2 ? 0xE000 + rnd.nextInt(0x1000) : 0x10000 + rnd.nextInt(0x10000);
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /** The code units themselves: a charset encoder would replace lone surrogates. */
  private static String utf16Hex(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) sb.append(String.format("%04x", (int) s.charAt(i)));
    return sb.toString();
  }

  private static byte[] encodeUint(long n) {
    State s = new State();
    Uint.preencode(s, n);
    s.alloc();
    Uint.encode(s, n);
    return s.buffer;
  }

  @BeforeAll
  static void runJs() {
    Random rnd = TestSeeds.random("EncodingInteropIT");
    long[] edges = {0, 0xFC, 0xFD, 0xFE, 0xFF, 0xFFFF, 0x10000, 0xFFFFFFFFL, 0x100000000L, Uint.MAX_SAFE - 1, Uint.MAX_SAFE};
    for (long e : edges) uints.add(e);
    while (uints.size() < N) uints.add(randomUint(rnd));

    int[] prefixes = {0xFD, 0xFE, 0xFF};
    for (int i = 0; i < N; i++) {
      byte[] b;
      if (rnd.nextInt(4) == 0) {
        b = new byte[rnd.nextInt(10)];
        rnd.nextBytes(b);
      } else {
        int prefix = prefixes[rnd.nextInt(3)];
        int width = prefix == 0xFD ? 2 : prefix == 0xFE ? 4 : 8;
        b = new byte[1 + width - (rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(width) : 0)];
        rnd.nextBytes(b);
        b[0] = (byte) prefix;
        // Around the 2^53 edge: the top two bytes of a uint64 decide whether it is safe.
        if (prefix == 0xFF && b.length == 9 && rnd.nextBoolean()) {
          b[8] = 0;
          b[7] = (byte) (0x1F + rnd.nextInt(3));
        }
      }
      uintInputs.add(b);
    }
    for (int i = 0; i < 300; i++) {
      strings.add(randomString(rnd));
      byte[] b = new byte[rnd.nextInt(rnd.nextBoolean() ? 300 : 70_000)];
      rnd.nextBytes(b);
      buffers.add(b);
    }

    double[] edgeDoubles = {0, -0.0, 1e21, 1e-7, 1e-6, 999999999999999900000.0, 0x1p53, 0x1p53 + 2, Double.MIN_VALUE, Double.MAX_VALUE,
        Double.NaN, Double.POSITIVE_INFINITY, 0.1 + 0.2, 2e-323, 1e23};
    for (double d : edgeDoubles) doubles.add(d);
    while (doubles.size() < N) {
      int kind = rnd.nextInt(4);
      doubles.add(switch (kind) {
        case 0 -> Double.longBitsToDouble(rnd.nextLong()); // anything, NaNs included
        case 1 -> (rnd.nextInt(2000) - 1000) / Math.pow(10, rnd.nextInt(12)); // short decimals
        case 2 -> (double) (rnd.nextLong() >> rnd.nextInt(64)); // integers, some past 2^53
        default -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(60) - 30); // around the exponent switches
      });
    }

    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode a = in.putArray("uints");
    uints.forEach(a::add);
    ArrayNode d = in.putArray("uintDecodes");
    uintInputs.forEach(b -> d.add(HEX.formatHex(b)));
    ArrayNode s = in.putArray("strings");
    strings.forEach(s::add);
    ArrayNode bf = in.putArray("buffers");
    buffers.forEach(b -> bf.add(HEX.formatHex(b)));
    ArrayNode js16 = in.putArray("jsonStrings");
    strings.forEach(x -> js16.add(utf16Hex(x)));
    ArrayNode dbl = in.putArray("jsonNumbers");
    doubles.forEach(x -> dbl.add(Long.toHexString(Double.doubleToRawLongBits(x))));
    js = NodeScript.call("encoding-vectors.js", in);
  }

  @Test
  void uintEncodingsEqualCompactEncoding2And3() {
    for (int i = 0; i < uints.size(); i++) {
      String got = HEX.formatHex(encodeUint(uints.get(i)));
      assertEquals(js.get("uintsV3").get(i).asText(), got, "v3, " + uints.get(i));
      assertEquals(js.get("uintsV2").get(i).asText(), got, "v2, " + uints.get(i));
    }
  }

  @Test
  void uintDecodingAgreesOnValuesAndFailures() {
    int ok = 0;
    int failed = 0;
    for (int i = 0; i < uintInputs.size(); i++) {
      byte[] input = uintInputs.get(i);
      JsonNode want = js.get("uintDecodes").get(i);
      State s = State.of(input);
      String at = HEX.formatHex(input);
      try {
        long n = Uint.decode(s);
        if (!want.get("ok").asBoolean()) fail("Java decodes " + at + " to " + n + ", JS fails");
        assertEquals(want.get("value").asLong(), n, at);
        assertEquals(want.get("consumed").asInt(), s.start, at);
        ok++;
      } catch (HypercoreException e) {
        assertEquals(CoreError.DECODING_ERROR, e.code());
        if (want.get("ok").asBoolean()) fail("JS decodes " + at + " to " + want.get("value") + ", Java: " + e.getMessage());
        failed++;
      }
    }
    assertTrue(ok > 100 && failed > 100, ok + " decoded, " + failed + " rejected");
  }

  @Test
  void stringAndBufferEncodingsMatch() {
    for (int i = 0; i < strings.size(); i++) {
      State s = new State();
      Bytes.preencodeString(s, strings.get(i));
      s.alloc();
      Bytes.encodeString(s, strings.get(i));
      assertEquals(js.get("strings").get(i).asText(), HEX.formatHex(s.buffer), strings.get(i));
      // a lone surrogate comes back as U+FFFD, as in JS
      assertEquals(new String(Bytes.utf8(strings.get(i)), java.nio.charset.StandardCharsets.UTF_8), Bytes.decodeString(State.of(s.buffer)));

      State b = new State();
      Bytes.preencode(b, buffers.get(i));
      b.alloc();
      Bytes.encode(b, buffers.get(i));
      assertEquals(js.get("buffers").get(i).asText(), HEX.formatHex(b.buffer), "buffer of " + buffers.get(i).length);
    }
  }

  @Test
  void jsonStringifyOfStringsAndNumbersMatches() {
    for (int i = 0; i < strings.size(); i++) {
      assertEquals(js.get("jsonStrings").get(i).asText(), JsonStringify.string(strings.get(i)), strings.get(i));
    }
    for (int i = 0; i < doubles.size(); i++) {
      assertEquals(js.get("jsonNumbers").get(i).asText(), JsonStringify.number(doubles.get(i)), Double.toString(doubles.get(i)));
    }
  }
}
