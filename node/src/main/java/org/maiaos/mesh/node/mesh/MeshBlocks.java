package org.maiaos.mesh.node.mesh;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Mesh channel message 2, the answer to a {@link MeshReadAhead}: the seqs of the bee's blocks the
 * read visits, at most {@link #MAX_BLOCKS} (a longer read is cut short; the reader fetches the rest
 * as it misses them). A hint only: every block is still fetched with its Merkle proof, so a wrong
 * list costs round trips, never correctness. Encoded with compact-encoding: uint request, uint
 * count, each seq a uint.
 */
record MeshBlocks(long request, long[] seqs) {
  static final int TYPE = 2;
  public static final int MAX_BLOCKS = 4096;
  static final int MAX_BYTES = 9 + 3 + MAX_BLOCKS * 9;

  public MeshBlocks {
    if (request < 0) throw CoreError.BAD_ARGUMENT.error("request %d", request);
    if (seqs.length > MAX_BLOCKS) throw CoreError.BAD_ARGUMENT.error("%d blocks, at most %d", seqs.length, MAX_BLOCKS);
    for (long s : seqs) if (s < 0 || s > Uint.MAX_SAFE) throw CoreError.BAD_ARGUMENT.error("block %d", s);
    seqs = seqs.clone();
  }

  @Override
  public long[] seqs() {
    return seqs.clone();
  }

  public byte[] toBytes() {
    return Codecs.encode(this, MeshBlocks::preencode, MeshBlocks::encode);
  }

  /** DECODING_ERROR for anything but one well-formed answer within the bounds. */
  public static MeshBlocks fromBytes(byte[] b) {
    if (b.length > MAX_BYTES) throw CoreError.DECODING_ERROR.error("mesh blocks of %d bytes over %d", b.length, MAX_BYTES);
    return Codecs.decodeAll(b, MeshBlocks::decode);
  }

  static void preencode(State s, MeshBlocks m) {
    Uint.preencode(s, m.request);
    Uint.preencode(s, m.seqs.length);
    for (long x : m.seqs) Uint.preencode(s, x);
  }

  static void encode(State s, MeshBlocks m) {
    Uint.encode(s, m.request);
    Uint.encode(s, m.seqs.length);
    for (long x : m.seqs) Uint.encode(s, x);
  }

  static MeshBlocks decode(State s) {
    long request = Uint.decode(s, Uint.MAX_SAFE);
    int n = Uint.decodeCount(s, MAX_BLOCKS);
    long[] seqs = new long[n];
    for (int i = 0; i < n; i++) seqs[i] = Uint.decode(s, Uint.MAX_SAFE);
    return new MeshBlocks(request, seqs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeshBlocks m && m.request == request && Arrays.equals(m.seqs, seqs);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(request) * 31 + Arrays.hashCode(seqs);
  }

  @Override
  public String toString() {
    return "MeshBlocks[request=" + request + ", " + seqs.length + " blocks]";
  }
}
