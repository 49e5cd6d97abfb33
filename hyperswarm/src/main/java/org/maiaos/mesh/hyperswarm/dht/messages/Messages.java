package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** Field codecs the two dht-rpc messages share, and the first-byte dispatch. */
public final class Messages {
  /**
   * The most closer nodes a response may carry. JS sends at most k = 20 ({@code table.closest});
   * its decoder would take up to 0x100000, but a bigger list is only ever an attack on us.
   */
  public static final int MAX_CLOSER_NODES = 64;

  private Messages() {}

  /** The first byte of a datagram says which message it is: {@link DhtRequest#TYPE} or {@link DhtResponse#TYPE}. */
  public static int type(byte[] datagram) {
    return datagram.length == 0 ? -1 : datagram[0] & 0xFF;
  }

  static int decodeTid(State s) {
    s.require(2);
    int tid = (s.buffer[s.start] & 0xFF) | (s.buffer[s.start + 1] & 0xFF) << 8;
    s.start += 2;
    return tid;
  }

  static void encodeTid(State s, int tid) {
    s.buffer[s.start++] = (byte) tid;
    s.buffer[s.start++] = (byte) (tid >>> 8);
  }

  static Key32 decodeKey(State s) {
    return Key32.of(Fixed.decode(s, Key32.BYTES));
  }

  static List<PeerAddress> decodeNodes(State s) {
    long n = Uint.decode(s);
    // bound first, then against the bytes left, before the list is sized
    if (n > MAX_CLOSER_NODES) throw CoreError.DECODING_ERROR.error("%d closer nodes over limit %d", n, MAX_CLOSER_NODES);
    s.require(n * PeerAddress.BYTES);
    List<PeerAddress> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) out.add(PeerAddress.decode(s));
    return List.copyOf(out);
  }
}
