package org.maiaos.mesh.hyperswarm.replication;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.HashedData;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hyperswarm.wire.Bitfield;
import org.maiaos.mesh.hyperswarm.wire.Cancel;
import org.maiaos.mesh.hyperswarm.wire.Extension;
import org.maiaos.mesh.hyperswarm.wire.Handshake;
import org.maiaos.mesh.hyperswarm.wire.NoData;
import org.maiaos.mesh.hyperswarm.wire.Range;
import org.maiaos.mesh.hyperswarm.wire.Sync;
import org.maiaos.mesh.hyperswarm.wire.Want;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote peer of one core: what it told us (fork, length, what it has) and the channel to it.
 * The transport calls {@link #onOpen}, {@link #onMessage} and {@link #onClose} from any thread;
 * each hands the event to the replicator's thread, which owns all of this state.
 */
public final class Peer {
  private static final Logger LOG = LoggerFactory.getLogger(Peer.class);
  /** JS asks for availability in windows of 2^21 blocks (COMPAT mode of lib/wants.js). */
  static final long WANT_WINDOW = 1L << 21;
  /** At most this many open wants per peer, as JS. */
  static final int MAX_WANTS = 512;

  final Replicator replicator;
  final PeerChannel channel;
  final RemoteBitfield remoteBitfield = new RemoteBitfield();
  private final Set<Long> wanted = new HashSet<>();
  /** The peer's wants we answered, the oldest forgotten past 256 (then a repeat is answered again). */
  private final java.util.Map<java.util.List<Long>, Boolean> remoteWants = new java.util.LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<java.util.List<Long>, Boolean> eldest) {
      return size() > 256;
    }
  };

  boolean opened;
  private boolean corked;
  private int corkedBytes;
  boolean synced;
  boolean closed;
  long remoteFork;
  long remoteLength;
  long lengthAcked;
  long remoteContiguousLength;
  boolean remoteCanUpgrade;
  boolean remoteDownloading;
  boolean remoteHasManifest;
  int invalidRequests;
  /** A fork of this peer's that it could not prove to us (noData, timeout): not asked again. */
  long reorgRefusedFork = -1;
  /** Requests held back while the connection is not writable (replicator thread), in arrival order. */
  final java.util.ArrayDeque<Request> deferred = new java.util.ArrayDeque<>();
  boolean drainScheduled;
  int inflight;
  TransferStats stats = TransferStats.ZERO;
  private Sync lastSentSync;
  private String lastSentExtension;
  private String lastReceivedExtension = "";

  Peer(Replicator replicator, PeerChannel channel) {
    this.replicator = replicator;
    this.channel = channel;
  }

  /** The payload of our own channel-open message: proves to the remote that we know the core key. */
  public Handshake handshake() {
    return new Handshake(true, Caps.replicate(channel.isInitiator(), replicator.core.key(), channel.handshakeHash()));
  }

  /** The remote opened the channel with {@code handshake}. */
  public void onOpen(Handshake handshake) {
    replicator.run(() -> opened(handshake));
  }

  /** A message arrived on the channel. */
  public void onMessage(int type, byte[] body) {
    if (type == MessageType.DATA) {
      // decoded and its block hashed here, on the thread that received it: hashing is most of what
      // verifying a big block costs, and the replicator thread, which verifies and stores in order,
      // is a download's bottleneck (docs/replication.md); stored in runs, see Replicator.onData
      DecodedData d = DecodedData.of(body);
      replicator.runData(() -> receivedData(d));
    } else {
      replicator.run(() -> received(type, body));
    }
  }

  /** A {@code data} message decoded off the replicator thread: the message, or why it is not one. */
  private record DecodedData(HashedData data, HypercoreException error) {
    static DecodedData of(byte[] body) {
      try {
        return new DecodedData(HashedData.of(Data.decode(State.of(body))), null);
      } catch (HypercoreException e) {
        return new DecodedData(null, e);
      } catch (RuntimeException e) { // a decoder bug, not the peer's: the peer still goes, the loop lives on
        return new DecodedData(null, CoreError.DECODING_ERROR.error(e, "data message could not be decoded: %s", e));
      }
    }
  }

  /** The channel closed (either side). */
  public void onClose() {
    replicator.run(this::closedByTransport);
  }

  /** Downloaded and uploaded blocks and bytes through this peer. */
  public TransferStats stats() {
    return stats;
  }

  public String describe() {
    return channel.describe();
  }

  // --- everything below runs on the replicator thread ---

  private void opened(Handshake handshake) {
    Key32 expected = Caps.replicate(!channel.isInitiator(), replicator.core.key(), channel.handshakeHash());
    if (!expected.equals(handshake.capability())) {
      fail(CoreError.INVALID_CAPABILITY.error("remote sent an invalid replication capability for %s", replicator.core.discoveryKey()));
      return;
    }
    if (opened) return;
    opened = true;
    channel.cork();
    try {
      sendSync(true);
      long contig = replicator.contiguousLength();
      if (contig > 0) send(MessageType.RANGE, encode(new Range(false, 0, contig), Range::preencode, Range::encode));
    } finally {
      channel.uncork();
    }
    replicator.peerOpened(this);
  }

  private void receivedData(DecodedData d) {
    if (!receivable(MessageType.DATA)) return;
    if (d.error() != null) fail(d.error());
    else replicator.onData(this, d.data());
  }

  /** Whether a message may be handled now: not after close, and not before the channel opened (that fails it). */
  private boolean receivable(int type) {
    if (closed) return false;
    if (!opened) {
      fail(CoreError.INVALID_OPERATION.error("%s before the channel was opened", MessageType.name(type)));
      return false;
    }
    return true;
  }

  private void received(int type, byte[] body) {
    if (!receivable(type)) return;
    State s = State.of(body);
    try {
      switch (type) {
        case MessageType.SYNC -> onSync(Sync.decode(s));
        case MessageType.REQUEST -> onRequest(Request.decode(s));
        case MessageType.CANCEL -> Cancel.decode(s); // requests are answered at once: nothing to drop
        case MessageType.NO_DATA -> replicator.onNoData(this, NoData.decode(s));
        case MessageType.WANT -> onWant(Want.decode(s));
        case MessageType.UNWANT -> onUnwant(Want.decode(s));
        case MessageType.BITFIELD -> onBitfield(Bitfield.decode(s));
        case MessageType.RANGE -> onRange(Range.decode(s));
        case MessageType.EXTENSION -> onExtension(Extension.decode(s));
        default -> throw CoreError.DECODING_ERROR.error("unknown message type %d", type);
      }
    } catch (HypercoreException e) {
      fail(e);
    }
  }

  private void onSync(Sync m) {
    boolean sameFork = m.fork() == replicator.core.fork();
    synced = true;
    remoteFork = m.fork();
    remoteLength = m.length();
    remoteCanUpgrade = m.canUpgrade();
    remoteDownloading = m.downloading();
    remoteHasManifest = m.hasManifest();
    lengthAcked = sameFork ? m.remoteLength() : 0;
    LOG.debug("{} sync fork={} length={} remoteLength={}", describe(), m.fork(), m.length(), m.remoteLength());
    long ours = replicator.core.length();
    boolean changed = sendSync(false);
    if (!changed && sameFork && ours > remoteLength) sendSync(true); // the remote is behind: tell it
    replicator.peerSynced(this);
  }

  private void onRequest(Request m) {
    replicator.serve(this, m);
  }

  private void onWant(Want m) {
    // a want already answered is not answered again until unwanted (JS remoteWants.add): a peer
    // repeating one cannot make us scan the same bits over and over
    if (remoteWants.put(java.util.List.of(m.start(), m.length()), Boolean.TRUE) != null) return;
    long length = replicator.core.length();
    long contig = replicator.contiguousLength();
    if (m.start() + m.length() <= contig || contig == length) {
      if (contig > 0) send(MessageType.RANGE, encode(new Range(false, 0, contig), Range::preencode, Range::encode));
      return;
    }
    long end = Math.min(m.start() + Math.min(m.length(), 32L * Bitfield.MAX_WORDS), length);
    long start = m.start() - (m.start() % 32);
    if (end <= start) return;
    int[] words = new int[(int) ((end - start + 31) / 32)];
    // a word at a time from the core's bitfield of held blocks, not a read per block
    replicator.core.heldWords(start, words);
    int tail = (int) ((end - start) & 31);
    if (tail != 0) words[words.length - 1] &= (1 << tail) - 1; // nothing at or past end
    send(MessageType.BITFIELD, encode(new Bitfield(start, words), Bitfield::preencode, Bitfield::encode));
  }

  /** The connection drained: answers held back may go (any thread). */
  void writable() {
    replicator.drainSoon(this);
  }

  private void onUnwant(Want m) {
    remoteWants.remove(java.util.List.of(m.start(), m.length()));
  }

  private void onBitfield(Bitfield m) {
    if (m.start() < remoteContiguousLength) remoteContiguousLength = m.start();
    remoteBitfield.insert(m.start(), m.words());
    replicator.availabilityChanged(this);
  }

  private void onRange(Range m) {
    if (m.drop()) {
      if (m.start() < remoteContiguousLength) remoteContiguousLength = m.start();
      remoteBitfield.setRange(m.start(), m.length(), false);
    } else if (m.start() == 0) {
      remoteContiguousLength = Math.max(remoteContiguousLength, m.length());
    } else if (m.start() <= remoteContiguousLength) {
      remoteContiguousLength = Math.max(remoteContiguousLength, m.start() + m.length());
    } else {
      remoteBitfield.setRange(m.start(), m.length(), true);
    }
    replicator.availabilityChanged(this);
  }

  private void onExtension(Extension m) {
    String name = m.name().isEmpty() ? lastReceivedExtension : m.name();
    lastReceivedExtension = name;
    replicator.extensionReceived(this, name, m.message());
  }

  private void closedByTransport() {
    if (closed) return;
    closed = true;
    replicator.peerClosed(this);
  }

  /** The remote broke the protocol: log once, destroy the stream, forget the peer. */
  void fail(HypercoreException reason) {
    if (closed) return;
    LOG.warn("{}: closing the stream: {}", describe(), reason.getMessage());
    closed = true;
    replicator.peerClosed(this);
    channel.destroy(reason);
  }

  boolean remoteHas(long index) {
    return index < remoteContiguousLength || remoteBitfield.get(index);
  }

  /** Asks for availability of the window holding {@code index}, once per window. */
  void want(long index) {
    long start = index - Math.floorMod(index, WANT_WINDOW);
    if (wanted.size() >= MAX_WANTS || !wanted.add(start)) return;
    send(MessageType.WANT, encode(new Want(start, WANT_WINDOW, false), Want::preencode, Want::encode));
  }

  /**
   * Sends our sync if anything in it changed since the last one (or always with {@code force});
   * returns whether one was sent.
   */
  boolean sendSync(boolean force) {
    long fork = replicator.core.fork();
    long length = replicator.core.length();
    boolean sameFork = fork == remoteFork;
    Sync sync = new Sync(fork, length, sameFork ? remoteLength : 0, canUpgrade(sameFork, length), true, true,
        replicator.core.manifest() != null && !replicator.core.compat(), false);
    if (!force && sync.equals(lastSentSync)) return false;
    lastSentSync = sync;
    send(MessageType.SYNC, encode(sync, Sync::preencode, Sync::encode));
    return true;
  }

  /** Whether we can prove the remote an upgrade from the length it has to ours (sync's canUpgrade). */
  private boolean canUpgrade(boolean sameFork, long length) {
    if (!synced) return true; // JS starts out optimistic
    if (!sameFork) return false;
    if (remoteLength == 0) return true;
    if (remoteLength >= length) return false;
    return replicator.canProveUpgrade(remoteLength);
  }

  void sendExtension(String name, byte[] message) {
    String wireName = name.equals(lastSentExtension) ? "" : name;
    lastSentExtension = name;
    send(MessageType.EXTENSION, encode(new Extension(wireName, message), Extension::preencode, Extension::encode));
  }

  void send(int type, byte[] body) {
    if (closed) return;
    if (LOG.isDebugEnabled()) LOG.debug("{} <- {} ({} bytes)", describe(), MessageType.name(type), body.length);
    if (!corked) { // what the replicator sends in one burst of events leaves as one Protomux batch
      corked = true;
      corkedBytes = 0;
      channel.cork();
      replicator.corked(this);
    }
    channel.send(type, body);
    corkedBytes += body.length;
    if (corkedBytes >= MAX_CORKED_BYTES) uncork(); // big answers gain nothing from a batch; the next send starts another
  }

  /**
   * Most bytes one batch of a burst holds: batching pays for many small messages, while a batch of
   * big blocks only delays the receiver, which can decrypt and check none of it before all of it
   * is in (and whose buffers would be over the collector's humongous-object size).
   */
  static final int MAX_CORKED_BYTES = 256 * 1024;

  /** Ends the batch {@link #send} started (the replicator does, at the end of a burst). */
  void uncork() {
    if (!corked) return;
    corked = false;
    channel.uncork(); // even when closed: the stream's other channels share the cork
  }

  /** Encodes a message with its compact-encoding pair: sized once, written once. */
  static <T> byte[] encode(T m, BiConsumer<State, T> preencode, BiConsumer<State, T> encode) {
    return org.maiaos.mesh.hypercore.encoding.Codecs.encode(m, preencode, encode);
  }

  @Override
  public String toString() {
    return "Peer[" + describe() + ", length=" + remoteLength + ", contiguous=" + remoteContiguousLength + "]";
  }
}
