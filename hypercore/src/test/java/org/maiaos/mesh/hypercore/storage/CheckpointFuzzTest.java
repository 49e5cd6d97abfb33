package org.maiaos.mesh.hypercore.storage;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * The checkpoint header file from any bytes. An input whose first byte is even is taken as the
 * body and given the magic, version and CRC32C (so the fuzzer reaches the body decoder); an odd
 * one is the whole file, as found on disk. Either a checkpoint or STORAGE_CORRUPT; a checkpoint
 * prints (it is logged) and re-encodes to a file that decodes the same.
 */
class CheckpointFuzzTest {
  @FuzzTest
  void headerDecodesOrRefuses(byte[] input) {
    byte[] in = bounded(input);
    byte[] file = in.length > 0 && (in[0] & 1) == 0 ? wrap(in, 1) : in;
    Checkpoint c = decodeOrRefuse(() -> Checkpoint.decode(file, StorageLimits.DEFAULTS), CoreError.STORAGE_CORRUPT);
    if (c == null) return;
    c.toString();
    requireSame(c, Checkpoint.decode(c.encode(), StorageLimits.DEFAULTS));
  }

  /** {@code "hcst" | u32le 1 | body | u32le crc32c}, with {@code body = in[from..]}. */
  static byte[] wrap(byte[] in, int from) {
    int body = in.length - from;
    byte[] out = new byte[12 + body];
    System.arraycopy("hcst".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 4);
    ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(4, 1);
    System.arraycopy(in, from, out, 8, body);
    CRC32C crc = new CRC32C();
    crc.update(out, 0, 8 + body);
    bb.putInt(8 + body, (int) crc.getValue());
    return out;
  }
}
