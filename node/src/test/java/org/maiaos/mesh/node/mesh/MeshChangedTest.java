package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** The mesh channel's change hint round-trips; every truncated, padded, oversized or over-long one is a DECODING_ERROR. */
class MeshChangedTest {
  private static final MeshChanged CHANGED = new MeshChanged(123_456, 1_796_000_000_000L, List.of("co_zewC4ZeVYXYgJAqyQHA6FMoWeUo", "co_z51vdtkKKx1yZXWGqrCZpRat6Yg"));

  private static void decodingError(byte[] b) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> MeshChanged.fromBytes(b));
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }

  @Test
  void roundTripsAndRefusesEveryTruncationAndTrailingBytes() {
    byte[] b = CHANGED.toBytes();
    assertEquals(CHANGED, MeshChanged.fromBytes(b));
    for (int n = 0; n < b.length; n++) decodingError(Arrays.copyOf(b, n));
    decodingError(Arrays.copyOf(b, b.length + 1));
    decodingError(new byte[MeshChanged.MAX_BYTES + 1]);
  }

  @Test
  void theLimitsHoldAtTheBoundAndOnePast() {
    List<String> max = new ArrayList<>();
    for (int i = 0; i < MeshChanged.MAX_IDS; i++) max.add("x".repeat(MeshChanged.MAX_ID_BYTES));
    byte[] full = new MeshChanged(Uint.MAX_SAFE, Uint.MAX_SAFE, max).toBytes();
    assertEquals(MeshChanged.MAX_IDS, MeshChanged.fromBytes(full).ids().size());

    List<String> tooMany = new ArrayList<>(max);
    tooMany.add("co_z1");
    assertThrows(HypercoreException.class, () -> new MeshChanged(1, 1, tooMany));
    assertThrows(HypercoreException.class, () -> new MeshChanged(1, 1, List.of("x".repeat(MeshChanged.MAX_ID_BYTES + 1))));
    assertThrows(HypercoreException.class, () -> new MeshChanged(1, 1, List.of("")));
    assertThrows(HypercoreException.class, () -> new MeshChanged(-1, 1, List.of()));

    // the same refusals when the bytes come from a peer
    decodingError(encodeRaw(1, MeshChanged.MAX_IDS + 1, "co_z1"));
    decodingError(encodeRaw(1, 1, "x".repeat(MeshChanged.MAX_ID_BYTES + 1)));
    decodingError(encodeRaw(1, 1, ""));
  }

  @Test
  void aCountPastTheBytesLeftIsRefusedBeforeAnythingIsAllocated() {
    byte[] b = Codecs.encode(0, (s, x) -> {
      Uint.preencode(s, 1);
      Uint.preencode(s, 1);
      Uint.preencode(s, 60);
    }, (s, x) -> {
      Uint.encode(s, 1);
      Uint.encode(s, 1);
      Uint.encode(s, 60);
    });
    decodingError(b);
  }

  /** {@code count} copies of {@code id} after the length, bypassing the record's own checks. */
  private static byte[] encodeRaw(long length, int count, String id) {
    return Codecs.encode(0, (s, x) -> fill(s, length, count, id, true), (s, x) -> fill(s, length, count, id, false));
  }

  private static void fill(State s, long length, int count, String id, boolean pre) {
    if (pre) {
      Uint.preencode(s, length);
      Uint.preencode(s, 0);
      Uint.preencode(s, count);
      for (int i = 0; i < count; i++) org.maiaos.mesh.hypercore.encoding.Bytes.preencodeString(s, id);
    } else {
      Uint.encode(s, length);
      Uint.encode(s, 0);
      Uint.encode(s, count);
      for (int i = 0; i < count; i++) org.maiaos.mesh.hypercore.encoding.Bytes.encodeString(s, id);
    }
  }
}
