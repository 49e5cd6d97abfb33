package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Field codecs and bounds shared by the hyperdht records ({@code hyperdht/lib/messages.js}). JS
 * decodes arrays of up to 0x100000 elements; we refuse far less, since no honest peer sends more
 * than a handful of addresses (a storer keeps 3) or more than 21 peers in a lookup reply.
 */
final class HyperMessages {
  /** Addresses in one ipv4/ipv6 array (relay addresses, interface addresses, relays). */
  public static final int MAX_ADDRESSES = 64;
  /** Peer records in one lookup reply (JS sends at most 20 records plus a route). */
  public static final int MAX_PEERS = 64;
  public static final int SIGNATURE_BYTES = 64;

  private HyperMessages() {}

  static void preencodeAddresses(State s, List<PeerAddress> a) {
    Uint.preencode(s, a.size());
    s.end += a.size() * PeerAddress.BYTES;
  }

  static void encodeAddresses(State s, List<PeerAddress> a) {
    Uint.encode(s, a.size());
    for (PeerAddress p : a) PeerAddress.encode(s, p);
  }

  static List<PeerAddress> decodeAddresses(State s) {
    long n = Uint.decode(s);
    if (n > MAX_ADDRESSES) throw CoreError.DECODING_ERROR.error("%d addresses over limit %d", n, MAX_ADDRESSES);
    s.require(n * PeerAddress.BYTES);
    List<PeerAddress> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) out.add(PeerAddress.decode(s));
    return List.copyOf(out);
  }

  /** Writes a 64-byte signature (checked by {@link #checkSignature} when the record was made). */
  static void encodeSignature(State s, byte[] sig) {
    System.arraycopy(sig, 0, s.buffer, s.start, SIGNATURE_BYTES);
    s.start += SIGNATURE_BYTES;
  }

  /** {@code uint seq ‖ buffer value ‖ signature(64)}: a mutable get response, and a put request after its key. */
  static void preencodeSignedValue(State s, long seq, byte[] value) {
    Uint.preencode(s, seq);
    Bytes.preencode(s, value);
    s.end += SIGNATURE_BYTES;
  }

  static void encodeSignedValue(State s, long seq, byte[] value, byte[] sig) {
    Uint.encode(s, seq);
    Bytes.encode(s, value);
    encodeSignature(s, sig);
  }

  static byte[] decodeSignature(State s) {
    return Fixed.decode(s, SIGNATURE_BYTES);
  }

  static byte[] checkSignature(byte[] sig) {
    if (sig == null) return null;
    if (sig.length != SIGNATURE_BYTES) throw CoreError.BAD_ARGUMENT.error("signature of %d bytes", sig.length);
    return sig.clone();
  }

  static <T> List<T> copy(List<T> l, String what) {
    if (l == null) return null;
    if (l.size() > MAX_ADDRESSES) throw CoreError.BAD_ARGUMENT.error("%d %s over limit %d", l.size(), what, MAX_ADDRESSES);
    return List.copyOf(l);
  }

  static String hex(byte[] b) {
    return b == null ? "null" : java.util.HexFormat.of().formatHex(b);
  }

  static boolean same(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }
}
