package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** The read-ahead question and its answer round-trip; every truncated, padded or oversized one is a DECODING_ERROR. */
class MeshReadAheadTest {
  private static void decodingError(Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }

  @Test
  void aQuestionRoundTripsAndRefusesEveryTruncation() {
    MeshReadAhead q = new MeshReadAhead(17, 15_011, "co_zewC4ZeVYXYgJAqyQHA6FMoWeUo");
    byte[] b = q.toBytes();
    assertEquals(q, MeshReadAhead.fromBytes(b));
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      decodingError(() -> MeshReadAhead.fromBytes(cut));
    }
    decodingError(() -> MeshReadAhead.fromBytes(Arrays.copyOf(b, b.length + 1)));
    decodingError(() -> MeshReadAhead.fromBytes(new byte[MeshReadAhead.MAX_BYTES + 1]));
    assertThrows(HypercoreException.class, () -> new MeshReadAhead(1, 1, ""));
    assertThrows(HypercoreException.class, () -> new MeshReadAhead(1, 1, "x".repeat(MeshChanged.MAX_ID_BYTES + 1)));
    assertEquals(MeshChanged.MAX_ID_BYTES, MeshReadAhead.fromBytes(new MeshReadAhead(Uint.MAX_SAFE, Uint.MAX_SAFE,
        "x".repeat(MeshChanged.MAX_ID_BYTES)).toBytes()).id().length(), "the longest question fits its bound");
  }

  @Test
  void anAnswerRoundTripsAndHoldsItsBoundAtTheLimitAndOnePast() {
    MeshBlocks a = new MeshBlocks(17, new long[] {0, 1, 300, 15_010});
    byte[] b = a.toBytes();
    assertEquals(a, MeshBlocks.fromBytes(b));
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      decodingError(() -> MeshBlocks.fromBytes(cut));
    }
    decodingError(() -> MeshBlocks.fromBytes(Arrays.copyOf(b, b.length + 1)));

    long[] max = new long[MeshBlocks.MAX_BLOCKS];
    Arrays.fill(max, Uint.MAX_SAFE);
    assertEquals(MeshBlocks.MAX_BLOCKS, MeshBlocks.fromBytes(new MeshBlocks(Uint.MAX_SAFE, max).toBytes()).seqs().length);
    assertThrows(HypercoreException.class, () -> new MeshBlocks(1, new long[MeshBlocks.MAX_BLOCKS + 1]));
    byte[] onePast = Codecs.encode(0, (s, x) -> {
      Uint.preencode(s, 1);
      Uint.preencode(s, MeshBlocks.MAX_BLOCKS + 1);
      for (int i = 0; i <= MeshBlocks.MAX_BLOCKS; i++) Uint.preencode(s, 5);
    }, (s, x) -> {
      Uint.encode(s, 1);
      Uint.encode(s, MeshBlocks.MAX_BLOCKS + 1);
      for (int i = 0; i <= MeshBlocks.MAX_BLOCKS; i++) Uint.encode(s, 5);
    });
    decodingError(() -> MeshBlocks.fromBytes(onePast));
    decodingError(() -> MeshBlocks.fromBytes(new byte[MeshBlocks.MAX_BYTES + 1]));
  }

  @Test
  void aCountPastTheBytesLeftIsRefusedBeforeAllocating() {
    byte[] b = Codecs.encode(0, (s, x) -> {
      Uint.preencode(s, 1);
      Uint.preencode(s, MeshBlocks.MAX_BLOCKS);
    }, (s, x) -> {
      Uint.encode(s, 1);
      Uint.encode(s, MeshBlocks.MAX_BLOCKS);
    });
    decodingError(() -> MeshBlocks.fromBytes(b));
  }
}
