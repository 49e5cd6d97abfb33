package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

class HyperCryptoTest {
  @Test
  void namespacesHaveTheValuesOfTheSpec() {
    // spec §0.2
    assertEquals("36386adddf9f6fd60db83a6f42fc159d1146aa8644037664230aaa1f0179d497", HyperCrypto.NS_ANNOUNCE.hex());
    assertEquals("ded293cd93fb395e756ecf5fff426529e72c36eacc22e5ed944d9099a2561e32", HyperCrypto.NS_UNANNOUNCE.hex());
    assertEquals("668e823edd5ce7f5338d68bf1161f4a3c28ce437ee2ab49efd30d99366039b1e", HyperCrypto.NS_MUTABLE_PUT.hex());
    assertEquals("14d6d4b49214ab1033ed204976caa258bae9e1e8543b9ad1fd996a910b0c4e3a", HyperCrypto.NS_PEER_HANDSHAKE.hex());
    assertEquals("f1191cd5e67b10b54a507033280ed1ff0e12278268d5679c8f93d417210d168b", HyperCrypto.NS_PEER_HOLEPUNCH.hex());
    assertEquals("6b8a2a8623f28c6c02a1e22abe515ce31cafd9af61d4b69970639aa7eb96a8d5", HyperCrypto.NS_PLUGIN.hex());
  }

  @Test
  void announceSignatureIsBoundToStorerTokenAndNamespace() {
    KeyPair kp = Ed25519.keyPair(new byte[32]);
    Key32 target = Key32.fromHex("01".repeat(32));
    Key32 id = Key32.fromHex("02".repeat(32));
    Key32 token = Key32.fromHex("03".repeat(32));
    PeerRecord peer = new PeerRecord(kp.publicKey(), List.of(new PeerAddress("127.0.0.1", 1)));
    byte[] sig = HyperCrypto.signAnnounce(target, id, token, peer, null, kp);
    assertTrue(Ed25519.verify(HyperCrypto.announceSignable(HyperCrypto.NS_ANNOUNCE, target, id, token, peer, null), sig,
        kp.publicKey()));
    assertFalse(Ed25519.verify(HyperCrypto.announceSignable(HyperCrypto.NS_UNANNOUNCE, target, id, token, peer, null),
        sig, kp.publicKey()));
    assertFalse(Ed25519.verify(HyperCrypto.announceSignable(HyperCrypto.NS_ANNOUNCE, target, token, token, peer, null),
        sig, kp.publicKey()));
    assertFalse(Ed25519.verify(HyperCrypto.announceSignable(HyperCrypto.NS_ANNOUNCE, target, id, id, peer, null), sig,
        kp.publicKey()));
    assertFalse(Ed25519.verify(HyperCrypto.announceSignable(HyperCrypto.NS_ANNOUNCE, target, id, token, peer, token),
        sig, kp.publicKey()));
  }

  @Test
  void mutableSignatureCoversSeqAndValue() {
    KeyPair kp = Ed25519.keyPair(new byte[32]);
    byte[] sig = HyperCrypto.signMutable(5, new byte[] {1, 2}, kp);
    assertTrue(HyperCrypto.verifyMutable(sig, 5, new byte[] {1, 2}, kp.publicKey()));
    assertFalse(HyperCrypto.verifyMutable(sig, 6, new byte[] {1, 2}, kp.publicKey()));
    assertFalse(HyperCrypto.verifyMutable(sig, 5, new byte[] {1, 3}, kp.publicKey()));
    assertEquals(64, HyperCrypto.mutableSignable(5, new byte[0]).length);
  }
}
