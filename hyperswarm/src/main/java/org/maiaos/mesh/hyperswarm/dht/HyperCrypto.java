package org.maiaos.mesh.hyperswarm.dht;

import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

/**
 * hyperdht's namespaces ({@code lib/constants.js NS}: namespace "hyperswarm/dht", index = command)
 * and what gets signed ({@code lib/persistent.js annSignable, signMutable}). Signables are 64 bytes:
 * the namespace, then a BLAKE2b-256 over the signed fields.
 */
final class HyperCrypto {
  private static final byte[][] NS = Caps.namespace("hyperswarm/dht", HyperCommands.PLUGIN + 1);
  static final Key32 NS_PEER_HANDSHAKE = Key32.of(NS[HyperCommands.PEER_HANDSHAKE]);
  static final Key32 NS_PEER_HOLEPUNCH = Key32.of(NS[HyperCommands.PEER_HOLEPUNCH]);
  static final Key32 NS_ANNOUNCE = Key32.of(NS[HyperCommands.ANNOUNCE]);
  static final Key32 NS_UNANNOUNCE = Key32.of(NS[HyperCommands.UNANNOUNCE]);
  static final Key32 NS_MUTABLE_PUT = Key32.of(NS[HyperCommands.MUTABLE_PUT]);
  static final Key32 NS_PLUGIN = Key32.of(NS[HyperCommands.PLUGIN]);

  private HyperCrypto() {}

  static Key32 hash(byte[] b) {
    return Key32.of(Blake2b.hash(b));
  }

  static Key32 hash(Key32 k) {
    return hash(k.toByteArray());
  }

  /**
   * {@code ns ‖ H(target ‖ storerId ‖ token ‖ encode(peer) ‖ refresh?)}: bound to the storing node
   * and its token, so a signed announce cannot be replayed elsewhere. The bump is not signed.
   */
  static byte[] announceSignable(Key32 ns, Key32 target, Key32 storerId, Key32 token, PeerRecord peer, Key32 refresh) {
    byte[] h = Blake2b.hash(target.toByteArray(), storerId.toByteArray(), token.toByteArray(), peer.toBytes(),
        refresh == null ? new byte[0] : refresh.toByteArray());
    return concat(ns, h);
  }

  static byte[] signAnnounce(Key32 target, Key32 storerId, Key32 token, PeerRecord peer, Key32 refresh, KeyPair kp) {
    return Ed25519.sign(announceSignable(NS_ANNOUNCE, target, storerId, token, peer, refresh), kp);
  }

  static byte[] signUnannounce(Key32 target, Key32 storerId, Key32 token, PeerRecord peer, KeyPair kp) {
    return Ed25519.sign(announceSignable(NS_UNANNOUNCE, target, storerId, token, peer, null), kp);
  }

  /** {@code NS_MUTABLE_PUT ‖ H(uint seq ‖ buffer value)} ({@code mutableSignable}). */
  static byte[] mutableSignable(long seq, byte[] value) {
    State s = new State();
    Uint.preencode(s, seq);
    Bytes.preencode(s, value);
    s.alloc();
    Uint.encode(s, seq);
    Bytes.encode(s, value);
    return concat(NS_MUTABLE_PUT, Blake2b.hash(s.buffer));
  }

  static byte[] signMutable(long seq, byte[] value, KeyPair kp) {
    return Ed25519.sign(mutableSignable(seq, value), kp);
  }

  static boolean verifyMutable(byte[] signature, long seq, byte[] value, Key32 publicKey) {
    return Ed25519.verify(mutableSignable(seq, value), signature, publicKey);
  }

  private static byte[] concat(Key32 ns, byte[] h) {
    byte[] out = new byte[64];
    System.arraycopy(ns.toByteArray(), 0, out, 0, 32);
    System.arraycopy(h, 0, out, 32, 32);
    return out;
  }
}
