package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hyperswarm.dht.messages.Announce;
import org.maiaos.mesh.hyperswarm.dht.messages.LookupRawReply;
import org.maiaos.mesh.hyperswarm.dht.messages.MutableGetResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.MutablePutRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

class PersistentTest {
  private static final Key32 ID = Key32.fromHex("11".repeat(32));
  private static final Key32 TOKEN = Key32.fromHex("22".repeat(32));
  private static final Key32 TOPIC = Key32.fromHex("33".repeat(32));
  private static final PeerAddress FROM = new PeerAddress("127.0.0.1", 4000);
  private long now = 1_000;
  private Persistent store = new Persistent(() -> ID, () -> now, () -> 1_700_000_000_000L, HyperDhtLimits.DEFAULT);

  /** A request whose answer (if any) is recorded. */
  static final class FakeRequest implements StoreRequest {
    final Key32 target;
    final Key32 token;
    final byte[] value;
    boolean answered;
    byte[] reply;
    boolean bare;
    int error;

    FakeRequest(Key32 target, Key32 token, byte[] value) {
      this.target = target;
      this.token = token;
      this.value = value;
    }

    public Key32 target() { return target; }
    public Key32 token() { return token; }
    public byte[] value() { return value; }
    public PeerAddress from() { return FROM; }
    public void reply(byte[] v) { answered = true; reply = v; }
    public void replyBare() { answered = true; bare = true; }
    public void error(int code) { answered = true; error = code; }
  }

  private FakeRequest run(int command, Key32 target, Key32 token, byte[] value) {
    FakeRequest r = new FakeRequest(target, token, value);
    assertTrue(store.onRequest(command, r));
    return r;
  }

  private static byte[] signedAnnounce(Key32 target, KeyPair kp, List<PeerAddress> relays, Key32 storer) {
    PeerRecord peer = new PeerRecord(kp.publicKey(), relays);
    return new Announce(peer, null, HyperCrypto.signAnnounce(target, storer, TOKEN, peer, null, kp), 0).toBytes();
  }

  private List<PeerRecord> lookup(Key32 target) {
    FakeRequest r = run(HyperCommands.LOOKUP, target, null, null);
    assertTrue(r.answered);
    return r.reply == null ? List.of() : LookupRawReply.fromBytes(r.reply).peers();
  }

  @Test
  void storesASignedAnnounceAndAnswersLookupsWithIt() {
    KeyPair kp = Ed25519.keyPair();
    FakeRequest a = run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, signedAnnounce(TOPIC, kp, List.of(FROM), ID));
    assertTrue(a.bare);
    assertEquals(List.of(new PeerRecord(kp.publicKey(), List.of(FROM))), lookup(TOPIC));
  }

  @Test
  void ignoresAnnouncesWithBadSignatureOrWithoutToken() {
    KeyPair kp = Ed25519.keyPair();
    // signed for another storer id
    FakeRequest bad = run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, signedAnnounce(TOPIC, kp, List.of(), TOKEN));
    assertFalse(bad.answered);
    FakeRequest noToken = run(HyperCommands.ANNOUNCE, TOPIC, null, signedAnnounce(TOPIC, kp, List.of(), ID));
    assertFalse(noToken.answered);
    FakeRequest garbage = run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, new byte[] {7, 1});
    assertFalse(garbage.answered);
    FakeRequest unsigned = run(HyperCommands.ANNOUNCE, TOPIC, TOKEN,
        new Announce(new PeerRecord(kp.publicKey(), List.of()), null, null, 0).toBytes());
    assertFalse(unsigned.answered);
    assertEquals(List.of(), lookup(TOPIC));
  }

  @Test
  void keepsAtMostThreeRelayAddresses() {
    KeyPair kp = Ed25519.keyPair();
    List<PeerAddress> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) five.add(new PeerAddress("10.0.0." + i, 1000 + i));
    run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, signedAnnounce(TOPIC, kp, five, ID));
    assertEquals(five.subList(0, 3), lookup(TOPIC).get(0).relayAddresses());
  }

  @Test
  void lookupReturnsAtMostTwentyRecords() {
    for (int i = 0; i < 25; i++) run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, signedAnnounce(TOPIC, Ed25519.keyPair(), List.of(), ID));
    assertEquals(20, lookup(TOPIC).size());
  }

  @Test
  void recordsExpireAfterTwentyMinutes() {
    run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, signedAnnounce(TOPIC, Ed25519.keyPair(), List.of(), ID));
    now += Duration.ofMinutes(20).toMillis() - 1;
    assertEquals(1, lookup(TOPIC).size());
    now += 1;
    assertEquals(0, lookup(TOPIC).size());
  }

  @Test
  void cacheIsBoundedAndDropsTheOldestRecord() {
    store = new Persistent(() -> ID, () -> now, () -> 0L, new HyperDhtLimits(4, Duration.ofMinutes(20), Duration.ofHours(48), 100));
    List<KeyPair> kps = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      kps.add(Ed25519.keyPair());
      now++;
      run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, signedAnnounce(TOPIC, kps.get(i), List.of(), ID));
    }
    List<PeerRecord> got = lookup(TOPIC);
    assertEquals(4, got.size());
    assertFalse(got.stream().anyMatch(p -> p.publicKey().equals(kps.get(0).publicKey())));
  }

  @Test
  void announceSelfBecomesARouteThatAnswersFindPeer() {
    KeyPair kp = Ed25519.keyPair();
    Key32 target = HyperCrypto.hash(kp.publicKey());
    run(HyperCommands.ANNOUNCE, target, TOKEN, signedAnnounce(target, kp, List.of(), ID));
    FakeRequest f = run(HyperCommands.FIND_PEER, target, null, null);
    assertEquals(new PeerRecord(kp.publicKey(), List.of()), PeerRecord.fromBytes(f.reply));
    assertEquals(FROM, store.routes.get(target).relay());
    assertEquals(1, lookup(target).size()); // the route's record
    FakeRequest none = run(HyperCommands.FIND_PEER, TOPIC, null, null);
    assertTrue(none.answered);
    assertNull(none.reply);
  }

  @Test
  void signedUnannounceRemovesTheRecord() {
    KeyPair kp = Ed25519.keyPair();
    run(HyperCommands.ANNOUNCE, TOPIC, TOKEN, signedAnnounce(TOPIC, kp, List.of(), ID));
    PeerRecord peer = new PeerRecord(kp.publicKey(), List.of());
    byte[] wrongNs = new Announce(peer, null, HyperCrypto.signAnnounce(TOPIC, ID, TOKEN, peer, null, kp), 0).toBytes();
    assertFalse(run(HyperCommands.UNANNOUNCE, TOPIC, TOKEN, wrongNs).answered);
    assertEquals(1, lookup(TOPIC).size());
    byte[] unann = new Announce(peer, null, HyperCrypto.signUnannounce(TOPIC, ID, TOKEN, peer, kp), 0).toBytes();
    assertTrue(run(HyperCommands.UNANNOUNCE, TOPIC, TOKEN, unann).bare);
    assertEquals(0, lookup(TOPIC).size());
  }

  private static byte[] mutablePut(KeyPair kp, long seq, byte[] value) {
    return new MutablePutRequest(kp.publicKey(), seq, value, HyperCrypto.signMutable(seq, value, kp)).toBytes();
  }

  private static byte[] uint(long n) {
    State s = new State();
    Uint.preencode(s, n);
    s.alloc();
    Uint.encode(s, n);
    return s.buffer;
  }

  @Test
  void mutablePutFollowsTheSeqRules() {
    KeyPair kp = Ed25519.keyPair();
    Key32 target = HyperCrypto.hash(kp.publicKey());
    FakeRequest first = run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 2, new byte[] {1}));
    assertTrue(first.answered);
    assertEquals(0, first.error);
    assertEquals(HyperCommands.SEQ_REUSED, run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 2, new byte[] {2})).error);
    assertEquals(HyperCommands.SEQ_TOO_LOW, run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 1, new byte[] {2})).error);
    assertEquals(0, run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 2, new byte[] {1})).error); // same value again
    MutableGetResponse got = MutableGetResponse.fromBytes(run(HyperCommands.MUTABLE_GET, target, null, uint(2)).reply);
    assertEquals(2, got.seq());
    assertArrayEquals(new byte[] {1}, got.value());
    FakeRequest tooNew = run(HyperCommands.MUTABLE_GET, target, null, uint(3));
    assertTrue(tooNew.answered);
    assertNull(tooNew.reply);
    assertEquals(0, run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 3, new byte[] {3})).error);
    assertEquals(3, MutableGetResponse.fromBytes(run(HyperCommands.MUTABLE_GET, target, null, uint(3)).reply).seq());
  }

  @Test
  void mutablePutRefusesBadSignatureWrongTargetNoTokenAndOversizedValues() {
    KeyPair kp = Ed25519.keyPair();
    Key32 target = HyperCrypto.hash(kp.publicKey());
    byte[] forged = new MutablePutRequest(kp.publicKey(), 1, new byte[] {1}, HyperCrypto.signMutable(1, new byte[] {2}, kp)).toBytes();
    assertFalse(run(HyperCommands.MUTABLE_PUT, target, TOKEN, forged).answered);
    assertFalse(run(HyperCommands.MUTABLE_PUT, TOPIC, TOKEN, mutablePut(kp, 1, new byte[] {1})).answered);
    assertFalse(run(HyperCommands.MUTABLE_PUT, target, null, mutablePut(kp, 1, new byte[] {1})).answered);
    assertFalse(run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 1, new byte[HyperDhtLimits.DEFAULT.maxValueBytes() + 1])).answered);
    assertTrue(run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 1, new byte[HyperDhtLimits.DEFAULT.maxValueBytes()])).answered);
  }

  @Test
  void mutableValuesExpireAfterFortyEightHours() {
    KeyPair kp = Ed25519.keyPair();
    Key32 target = HyperCrypto.hash(kp.publicKey());
    run(HyperCommands.MUTABLE_PUT, target, TOKEN, mutablePut(kp, 0, new byte[] {1}));
    now += Duration.ofHours(48).toMillis() - 1;
    assertTrue(run(HyperCommands.MUTABLE_GET, target, null, uint(0)).reply != null);
    now += 1;
    assertNull(run(HyperCommands.MUTABLE_GET, target, null, uint(0)).reply);
  }

  @Test
  void immutablePutChecksTheHash() {
    byte[] v = {9, 8, 7};
    Key32 h = HyperCrypto.hash(v);
    assertFalse(run(HyperCommands.IMMUTABLE_PUT, TOPIC, TOKEN, v).answered);
    assertFalse(run(HyperCommands.IMMUTABLE_PUT, h, null, v).answered);
    assertNull(run(HyperCommands.IMMUTABLE_GET, h, null, null).reply);
    assertTrue(run(HyperCommands.IMMUTABLE_PUT, h, TOKEN, v).answered);
    assertArrayEquals(v, run(HyperCommands.IMMUTABLE_GET, h, null, null).reply);
  }

  @Test
  void otherCommandsAreNotPersistentOnes() {
    assertFalse(store.onRequest(HyperCommands.PEER_HANDSHAKE, new FakeRequest(TOPIC, null, null)));
    assertFalse(store.onRequest(HyperCommands.PLUGIN, new FakeRequest(TOPIC, null, null)));
  }
}
