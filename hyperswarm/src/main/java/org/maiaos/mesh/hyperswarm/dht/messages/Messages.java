package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Field codecs the two dht-rpc messages share (the 32-byte key codec serves the hyperdht records
 * too), and the first-byte dispatch. Both messages start with the same header: the type byte, the
 * flags, the tid as u16 LE, the address, then the id and the token when their flag bits (bit0,
 * bit1) are set.
 */
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

  /** What {@link #decodeHeader} read: the flags, for the fields after the token, and the header fields. */
  record Header(long flags, int tid, PeerAddress to, Key32 id, Key32 token) {}

  static void preencodeHeader(State s, int flags, Key32 id, Key32 token) {
    s.end += 1;
    Uint.preencode(s, flags);
    s.end += 2 + PeerAddress.BYTES;
    if (id != null) s.end += Key32.BYTES;
    if (token != null) s.end += Key32.BYTES;
  }

  static void encodeHeader(State s, int type, int flags, int tid, PeerAddress to, Key32 id, Key32 token) {
    s.buffer[s.start++] = (byte) type;
    Uint.encode(s, flags);
    encodeTid(s, tid);
    PeerAddress.encode(s, to);
    if (id != null) encodeKey(s, id);
    if (token != null) encodeKey(s, token);
  }

  /** Reads the header of a message of the given type ("request", "response" name it in the error). */
  static Header decodeHeader(State s, int type, String what) {
    s.require(1);
    int got = s.buffer[s.start++] & 0xFF;
    if (got != type) throw CoreError.DECODING_ERROR.error("not a %s: type 0x%02x", what, got);
    long flags = Uint.decode(s);
    int tid = decodeTid(s);
    PeerAddress to = PeerAddress.decode(s);
    Key32 id = (flags & 1) != 0 ? decodeKey(s) : null;
    Key32 token = (flags & 2) != 0 ? decodeKey(s) : null;
    return new Header(flags, tid, to, id, token);
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

  static void encodeKey(State s, Key32 key) {
    Fixed.encode(s, key.toByteArray(), Key32.BYTES);
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
