package org.maiaos.mesh.hyperswarm.dht;

import io.netty.channel.Channel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.secretstream.NoiseIK;
import org.maiaos.mesh.hyperswarm.secretstream.NoiseResult;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;
import org.maiaos.mesh.hyperswarm.udx.UdxSocket;
import org.maiaos.mesh.hyperswarm.udx.UdxStream;

/** What the client and server sides of a HyperDHT connection share: raw streams, Noise, addresses. */
final class PeerStreams {
  /** Random stream ids tried before giving up (a socket with that many collisions is full). */
  private static final int ID_ATTEMPTS = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PeerStreams() {}

  /** hyperdht's {@code noise-wrap}: Noise IK with the PEER_HANDSHAKE namespace as prologue. */
  static NoiseIK initiator(KeyPair keyPair, Key32 serverPublicKey) {
    return NoiseIK.initiator(keyPair, serverPublicKey, HyperCrypto.NS_PEER_HANDSHAKE.toByteArray());
  }

  static NoiseIK responder(KeyPair keyPair) {
    return NoiseIK.responder(keyPair, HyperCrypto.NS_PEER_HANDSHAKE.toByteArray());
  }

  /** A not yet connected stream with a random id unused on {@code socket} (JS raw-stream-set). */
  static UdxStream rawStream(UdxSocket socket) {
    for (int i = 0; i < ID_ATTEMPTS; i++) {
      int id = RANDOM.nextInt();
      if (id == 0) continue;
      try {
        return socket.createStream(id);
      } catch (HypercoreException e) {
        if (e.code() != CoreError.BAD_ARGUMENT) throw e; // only an id in use is worth another draw
      }
    }
    throw CoreError.INVALID_OPERATION.error("no free udx stream id after %d draws", ID_ATTEMPTS);
  }

  /**
   * Puts the secret-stream, started from the finished Noise state, and then the caller's handlers
   * on the stream's pipeline, on its event loop, before any packet can reach it.
   */
  static void secure(UdxStream stream, boolean initiator, KeyPair keyPair, NoiseResult noise, SecretStreamLimits limits,
      Consumer<Channel> init) {
    stream.eventLoop().execute(() -> {
      stream.pipeline().addLast("secret-stream", SecretStreamHandler.fromHandshake(initiator, keyPair, noise, limits));
      if (init != null) init.accept(stream);
    });
  }

  /**
   * The addresses a peer on our network may reach {@code bound}'s port at, as JS
   * {@code localAddresses(socket)}: the loopback address itself if bound there, else every
   * non-loopback IPv4 interface address.
   */
  static List<PeerAddress> localAddresses(PeerAddress bound) {
    if (bound.host().equals("127.0.0.1")) return List.of(bound);
    List<PeerAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!n.isUp() || n.isLoopback()) continue;
        for (InetAddress a : Collections.list(n.getInetAddresses())) {
          if (a instanceof Inet4Address) out.add(new PeerAddress(a.getHostAddress(), bound.port()));
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    return out;
  }

  /** bogon's {@code isBogon} for IPv4: private or reserved. */
  static boolean isBogon(String host) {
    int[] b = octets(host);
    if (b == null) return true;
    return isPrivate(b) || isReserved(b);
  }

  /** bogon's {@code isPrivate}: 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12 and 192.168/16. */
  static boolean isPrivate(String host) {
    int[] b = octets(host);
    return b != null && isPrivate(b);
  }

  static boolean isReserved(String host) {
    int[] b = octets(host);
    return b == null || isReserved(b);
  }

  private static boolean isPrivate(int[] b) {
    return b[0] == 10 || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] == 127 || (b[0] == 169 && b[1] == 254)
        || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168);
  }

  /** bogon's {@code isReserved}: 0/8, 192.0.0/24, 192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4 and up. */
  private static boolean isReserved(int[] b) {
    return b[0] == 0 || (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
        || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113) || b[0] >= 224;
  }

  private static int[] octets(String host) {
    String[] p = host.split("\\.", -1);
    if (p.length != 4) return null;
    int[] b = new int[4];
    for (int i = 0; i < 4; i++) {
      try {
        b[i] = Integer.parseInt(p[i]);
      } catch (NumberFormatException e) {
        return null;
      }
      if (b[i] < 0 || b[i] > 255) return null;
    }
    return b;
  }
}
