package org.maiaos.mesh.hypercore.tree;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code seek} part of a {@code wire.request}, {@code uint bytes | uint padding}: find the block
 * holding byte {@code bytes} of the core, counting each block as its size minus {@code padding}
 * (0 unless blocks are encrypted).
 */
public record RequestSeek(long bytes, long padding) {
  public RequestSeek {
    Nodes.requireUint(bytes, "bytes");
    Nodes.requireUint(padding, "padding");
  }

  public static void preencode(State s, RequestSeek m) {
    Uint.preencode(s, m.bytes);
    Uint.preencode(s, m.padding);
  }

  public static void encode(State s, RequestSeek m) {
    Uint.encode(s, m.bytes);
    Uint.encode(s, m.padding);
  }

  public static RequestSeek decode(State s) {
    long bytes = Uint.decode(s);
    return new RequestSeek(bytes, Uint.decode(s));
  }
}
