package org.maiaos.mesh.hyperswarm.dht;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.lang.ref.WeakReference;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.NoisePayload;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;
import org.maiaos.mesh.hyperswarm.secretstream.NoiseIK;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;
import org.maiaos.mesh.hyperswarm.udx.UdxStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HyperDHT server ({@code hyperdht/lib/server.js}): it answers Noise IK handshakes for its key
 * pair that reach it directly or through a relay, keeps itself announced at three relays
 * ({@link Announcer}), and for each accepted client connects a UDX stream on the node's socket and
 * starts a secret-stream on it from the finished handshake; the caller's initializer then puts its
 * handlers on that channel (as a Netty {@code ChannelInitializer} would).
 *
 * <p>The path: the server connects at once when the client says its address is reachable (firewall
 * OPEN) or when the handshake came directly, else it waits for the client's first packet on the
 * stream and connects to its source (libudx's firewall hook), for at most 10 s. It never offers to
 * holepunch (its reply names no holepunch relays); that is the seam for a later holepuncher.
 *
 * <p>A handshake is answered once per distinct client message (the client sends the same one
 * through two relays); answers are remembered 10 s, and at most {@link #MAX_PENDING_HANDSHAKES} at a
 * time, so a flood of handshakes costs bounded memory. At that bound the oldest settled answer (its
 * stream connected or closed, or no stream at all) makes room for the new handshake; only when
 * every remembered one still waits for its client is a new one left unanswered. JS keeps every
 * answer 10 s without a bound; a bound that refused outright stalled a busy server (more than
 * 1,024 connections in 10 s) for seconds.
 */
public final class HyperDhtServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HyperDhtServer.class);
  /** How long an answer is remembered and an unconnected stream waits (JS HANDSHAKE_CLEAR_WAIT and _INITIAL_TIMEOUT). */
  static final long HANDSHAKE_WAIT_MILLIS = 10_000;
  static final int MAX_PENDING_HANDSHAKES = 1024;

  /** Decides whether to refuse a client before any stream exists (JS {@code opts.firewall}). */
  @FunctionalInterface
  public interface Firewall {
    boolean reject(Key32 remotePublicKey, NoisePayload payload, PeerAddress clientAddress);

    Firewall ALLOW_ALL = (key, payload, address) -> false;
  }

  private final HyperDht dht;
  private final Scheduler scheduler;
  private final KeyPair keyPair;
  private final Key32 target;
  private final Announcer announcer;
  private final Firewall firewall;
  private final SecretStreamLimits limits;
  private final Consumer<Channel> init;
  /** Scheduler thread only. */
  private final Map<String, Remembered> answers = new LinkedHashMap<>();
  private volatile boolean closed;

  HyperDhtServer(HyperDht dht, Scheduler scheduler, KeyPair keyPair, Firewall firewall, SecretStreamLimits limits,
      Consumer<Channel> init) {
    this.dht = dht;
    this.scheduler = scheduler;
    this.keyPair = keyPair;
    this.target = HyperCrypto.hash(keyPair.publicKey());
    this.announcer = new Announcer(dht.rpc(), scheduler, keyPair, target);
    this.firewall = firewall == null ? Firewall.ALLOW_ALL : firewall;
    this.limits = limits;
    this.init = init;
  }

  Key32 target() {
    return target;
  }

  Router.LocalServer route() {
    return new Router.LocalServer() {
      @Override
      public PeerRecord record() {
        return announcer.record();
      }

      @Override
      public CompletableFuture<byte[]> onHandshake(byte[] noise, PeerAddress clientAddress, PeerAddress from) {
        return answer(noise, clientAddress, from);
      }
    };
  }

  /** Answers remembered now (for tests of the bound). Scheduler thread. */
  int rememberedAnswers() {
    return answers.size();
  }

  CompletableFuture<Void> start() {
    return announcer.start();
  }

  public Key32 publicKey() {
    return keyPair.publicKey();
  }

  /** Where clients may reach us: our public address if known, then our relays (JS {@code relayAddresses}). */
  public List<PeerAddress> relayAddresses() {
    return announcer.relayAddresses();
  }

  /** Stops answering, unannounces (waits at most 5 s), and leaves open connections open. */
  @Override
  public void close() {
    try {
      closeAsync().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("server close: {}", e.toString());
    }
  }

  public CompletableFuture<Void> closeAsync() {
    closed = true;
    dht.unlisten(this);
    return announcer.stop();
  }

  // ---------------------------------------------------------------- handshakes (scheduler thread)

  private CompletableFuture<byte[]> answer(byte[] noise, PeerAddress clientAddress, PeerAddress from) {
    if (closed) return CompletableFuture.completedFuture(null);
    String key = HexFormat.of().formatHex(noise);
    Remembered known = answers.get(key);
    if (known != null) return known.answer;
    if (answers.size() >= MAX_PENDING_HANDSHAKES && !forgetOldestSettled()) return CompletableFuture.completedFuture(null);
    Remembered hs = new Remembered();
    answers.put(key, hs);
    scheduler.schedule(HANDSHAKE_WAIT_MILLIS, () -> answers.remove(key, hs));
    boolean direct = clientAddress == null;
    PeerAddress client = direct ? from : clientAddress;
    dht.rpc().remoteAddress().whenComplete((ourAddress, e) -> scheduler.execute(() -> {
      try {
        hs.answer.complete(accept(hs, noise, client, direct, e == null ? ourAddress : null));
      } catch (RuntimeException ex) {
        LOG.debug("handshake from {} refused: {}", client, ex.toString());
        hs.answer.complete(null);
      }
    }));
    return hs.answer;
  }

  /** Drops the oldest remembered handshake that no longer waits for its client; false if none. */
  private boolean forgetOldestSettled() {
    for (Iterator<Remembered> it = answers.values().iterator(); it.hasNext(); ) {
      if (it.next().settled()) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  /** Reads the client's message; returns our answer, or null to stay silent. */
  private byte[] accept(Remembered hs, byte[] noise, PeerAddress client, boolean direct, PeerAddress ourAddress) {
    if (closed) return null;
    NoiseIK ik = PeerStreams.responder(keyPair);
    NoisePayload remote;
    try {
      remote = NoisePayload.fromBytes(ik.recv(noise));
    } catch (HypercoreException e) {
      return null; // not for our key, or garbled: silence, as JS
    }
    if (firewall.reject(ik.remoteStaticKey(), remote, client)) return null;
    long error = remote.version() != 1 ? NoisePayload.ERROR_VERSION_MISMATCH
        : remote.udx() == null ? NoisePayload.ERROR_ABORTED : NoisePayload.ERROR_NONE;

    List<PeerAddress> addresses = new ArrayList<>();
    if (ourAddress != null) addresses.add(ourAddress);
    addresses.addAll(PeerStreams.localAddresses(dht.rpc().serverAddress()));
    UdxStream stream = error == NoisePayload.ERROR_NONE ? PeerStreams.rawStream(dht.udxSocket()) : null;
    List<PeerAddress> relays = announcer.relayAddresses();
    NoisePayload ours = new NoisePayload(1, error,
        ourAddress != null ? NoisePayload.FIREWALL_OPEN : NoisePayload.FIREWALL_UNKNOWN, null, addresses, List.of(),
        new NoisePayload.Udx(1, false, stream == null ? 0 : Integer.toUnsignedLong(stream.localId()), 0),
        new NoisePayload.SecretStream(1), null, relays.isEmpty() ? null : relays);
    byte[] reply = ik.send(ours.toBytes());
    if (stream == null) return reply;

    PeerStreams.secure(stream, false, keyPair, ik.result(), limits, init);
    int remoteId = (int) remote.udx().id();
    hs.stream = new WeakReference<>(stream);
    if (remote.firewall() == NoisePayload.FIREWALL_OPEN || direct) {
      hs.connectedAtOnce = true;
      stream.connect(remoteId, client.toSocketAddress());
    } else {
      stream.connectOnFirstPacket(remoteId);
      // the timer holds the stream weakly: a stream that connected and closed meanwhile is not kept 10 s
      WeakReference<UdxStream> weak = new WeakReference<>(stream);
      stream.eventLoop().schedule(() -> {
        UdxStream s = weak.get();
        if (s != null && s.remoteAddress() == null) s.close(); // the client never came
      }, HANDSHAKE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
    LOG.debug("server {} accepted {} at {} ({})", keyPair.publicKey(), ik.remoteStaticKey(), client,
        direct ? "direct" : "relayed");
    return reply;
  }

  /**
   * One remembered handshake: its answer and, once accepted, its stream, held weakly so that a
   * short connection is not kept reachable for the 10 s its answer is remembered. Scheduler thread.
   */
  private static final class Remembered {
    final CompletableFuture<byte[]> answer = new CompletableFuture<>();
    WeakReference<UdxStream> stream;
    boolean connectedAtOnce;

    /** Answered, and its stream (if any) no longer waits for the client's first packet. */
    boolean settled() {
      if (!answer.isDone()) return false;
      UdxStream s = stream == null ? null : stream.get();
      return s == null || connectedAtOnce || s.remoteAddress() != null || !s.isOpen();
    }
  }
}
