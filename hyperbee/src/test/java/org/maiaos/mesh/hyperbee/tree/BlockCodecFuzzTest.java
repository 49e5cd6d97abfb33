package org.maiaos.mesh.hyperbee.tree;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * A Hyperbee block from any bytes. The first input byte picks what the rest is: even, the header
 * (block 0); odd, a node block whose seq is the second byte (so pointers back into the same block
 * are reached). A header or node decodes or is a DECODING_ERROR; a node's index decodes lazily, also
 * only to an index or DECODING_ERROR, and so does asking whether it is a deletion. Every decoded
 * block re-encodes to one that decodes the same.
 */
class BlockCodecFuzzTest {
  @FuzzTest
  void blockDecodesOrRefuses(byte[] input) {
    byte[] in = bounded(input);
    if (in.length < 2) return;
    if ((in[0] & 1) == 0) {
      byte[] block = Arrays.copyOfRange(in, 1, in.length);
      HeaderBlock h = decodeOrRefuse(() -> BlockCodec.decodeHeader(block), CoreError.DECODING_ERROR);
      if (h == null) return;
      h.toString();
      requireSame(h, BlockCodec.decodeHeader(BlockCodec.encodeHeader(h)));
      return;
    }
    long seq = 1 + (in[1] & 0xFF);
    byte[] block = Arrays.copyOfRange(in, 2, in.length);
    NodeBlock n = decodeOrRefuse(() -> BlockCodec.decodeNode(seq, block), CoreError.DECODING_ERROR);
    if (n == null) return;
    NodeBlock again = BlockCodec.decodeNode(seq, BlockCodec.encodeNode(n.encodedIndex(), n.key(), n.value()));
    if (!Arrays.equals(n.key(), again.key()) || !Arrays.equals(n.value(), again.value())
        || !Arrays.equals(n.encodedIndex(), again.encodedIndex())) {
      throw new AssertionError("node block round trip changed it");
    }
    YoloIndex index = decodeOrRefuse(n::index, CoreError.DECODING_ERROR);
    if (index == null) return;
    index.toString();
    n.isDeletion();
    for (int i = 0; i < index.levels().size(); i++) requireSame(index.levels().get(i), n.level(i));
    decodeOrRefuse(() -> n.level(index.levels().size()), CoreError.DECODING_ERROR);
    requireSame(index, BlockCodec.decodeIndex(seq, BlockCodec.encodeIndex(index)));
  }
}
