package org.maiaos.mesh.hyperswarm.swarm;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * What a swarm knows of one remote peer ({@code hyperswarm/lib/peer-info.js}): how it was found,
 * how often connecting failed, whether it is banned or joined explicitly, and the priority that
 * orders the connect queue. The attempt and priority rules are JS's: the first attempt runs at
 * normal priority, the next two at raised priority, the fourth at low, and a peer that failed more
 * than three times is not tried again (an explicit one every ten minutes). Mutated only under the
 * swarm's lock; the getters may be read from any thread (a value may be a moment old).
 */
public final class PeerInfo {
  /** A connection that lasted this long resets the attempt count (JS MIN_CONNECTION_TIME). */
  static final long MIN_CONNECTION_MILLIS = 15_000;
  static final int VERY_LOW = 0;
  static final int LOW = 1;
  static final int NORMAL = 2;
  static final int HIGH = 3;
  static final int VERY_HIGH = 4;
  /** Topics remembered per peer, bounded against a flood of announces naming one key. */
  static final int MAX_TOPICS = 64;

  private final Key32 publicKey;
  List<PeerAddress> relayAddresses;
  boolean proven;
  volatile boolean banned;
  boolean explicit;
  boolean queued;
  boolean waiting;
  volatile boolean client;
  volatile int attempts;
  int priority = NORMAL;
  long connectedTime = -1;
  long disconnectedTime;
  /** The flush generation this peer was queued in. */
  int flushTick;
  final List<Key32> topics = new CopyOnWriteArrayList<>();

  PeerInfo(Key32 publicKey, List<PeerAddress> relayAddresses) {
    this.publicKey = publicKey;
    this.relayAddresses = relayAddresses == null ? List.of() : relayAddresses;
  }

  public Key32 publicKey() {
    return publicKey;
  }

  /** True if we dialled this peer, false if it connected to us. */
  public boolean client() {
    return client;
  }

  /** Failed or ended connection attempts since the last lasting connection. */
  public int attempts() {
    return attempts;
  }

  public boolean banned() {
    return banned;
  }

  /** The topics this peer was found under. */
  public List<Key32> topics() {
    return List.copyOf(topics);
  }

  boolean prioritized() {
    return priority >= NORMAL;
  }

  int currentPriority() {
    // JS also ranks a peer that was tried but never proven very low, but never marks one tried
    if (attempts > 3) return VERY_LOW;
    if (attempts == 3) return LOW;
    if (attempts == 2) return HIGH;
    if (attempts == 1) return VERY_HIGH;
    return NORMAL;
  }

  void connected(long now) {
    proven = true;
    connectedTime = now;
  }

  void disconnected(long now) {
    disconnectedTime = now;
    if (connectedTime > -1) {
      if (disconnectedTime - connectedTime >= MIN_CONNECTION_MILLIS) attempts = 0; // it worked: retry fast
      connectedTime = -1;
    }
    attempts++;
  }

  void reset() {
    client = false;
    proven = false;
    attempts = 0;
  }

  /** Recomputes the priority; false if the peer is not to be queued now. */
  boolean updatePriority() {
    if (explicit && attempts > 3) attempts = 3; // an explicit peer is deprioritised, never dropped
    if (banned || queued || attempts > 3) return false;
    priority = currentPriority();
    return true;
  }

  void topic(Key32 topic) {
    if (topics.contains(topic) || topics.size() >= MAX_TOPICS) return;
    topics.add(topic);
  }

  /** Nothing keeps this record alive (JS shouldGC). */
  boolean collectable() {
    return !(banned || queued || explicit || waiting);
  }

  @Override
  public String toString() {
    return "PeerInfo[" + publicKey + ", attempts=" + attempts + (banned ? ", banned" : "") + (explicit ? ", explicit" : "")
        + "]";
  }
}
