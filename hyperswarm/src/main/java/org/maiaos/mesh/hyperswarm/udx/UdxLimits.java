package org.maiaos.mesh.hyperswarm.udx;

import java.time.Duration;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * Every bound of a UDX stream in one place. Defaults follow libudx where it has one.
 *
 * @param maxPayloadBytes the most payload per packet. Streams start at 1152 (base MTU 1200 − 48
 *     bytes of IPv4, UDP and UDX headers) and probe the MTU upwards as libudx does while this
 *     allows more; 1452 (MTU 1500) by default, 1152 turns probing off
 * @param receiveWindowBytes the most bytes buffered for the reader, in order or not (libudx
 *     {@code UDX_DEFAULT_RWND_MAX}, 4 MiB); advertised as rwnd minus what is buffered
 * @param maxInflightPackets cap on unacknowledged packets (and on cwnd), at most {@link
 *     #RING_PACKETS} / 2 so ring slots stay unambiguous; 512 by default because NewReno does not
 *     pace, and a larger unpaced burst overflows a slow receiver's socket buffer
 * @param minRto lower RTO bound (RFC 6298; libudx 1 s)
 * @param maxRto upper RTO bound (libudx 30 s)
 * @param maxRtoTimeouts timeouts in a row without progress that close the stream with ETIMEDOUT
 *     (libudx {@code UDX_MAX_RTO_TIMEOUTS}, 6)
 * @param maxZeroWindowProbes heartbeats into a zero window in a row before ETIMEDOUT (libudx
 *     probes forever; we bound it so a peer cannot hold a stream open by never reading)
 */
public record UdxLimits(
    int maxPayloadBytes,
    int receiveWindowBytes,
    int maxInflightPackets,
    Duration minRto,
    Duration maxRto,
    int maxRtoTimeouts,
    int maxZeroWindowProbes) {

  /** Size of the send and receive rings, in packets. */
  static final int RING_PACKETS = 8192;

  public static final UdxLimits DEFAULTS =
      new UdxLimits(1452, 4 * 1024 * 1024, 512, Duration.ofSeconds(1), Duration.ofSeconds(30), 6, 30);

  public UdxLimits {
    if (maxPayloadBytes < 1 || maxPayloadBytes > UdxPacket.MAX_DATAGRAM_BYTES - UdxPacket.HEADER_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("maxPayloadBytes %d", maxPayloadBytes);
    }
    if (receiveWindowBytes < maxPayloadBytes || receiveWindowBytes / maxPayloadBytes > RING_PACKETS / 2) {
      throw CoreError.BAD_ARGUMENT.error("receiveWindowBytes %d", receiveWindowBytes);
    }
    if (maxInflightPackets < 4 || maxInflightPackets > RING_PACKETS / 2) {
      throw CoreError.BAD_ARGUMENT.error("maxInflightPackets %d", maxInflightPackets);
    }
    if (minRto.isNegative() || minRto.isZero() || maxRto.compareTo(minRto) < 0) {
      throw CoreError.BAD_ARGUMENT.error("rto bounds %s..%s", minRto, maxRto);
    }
    if (maxRtoTimeouts < 1 || maxZeroWindowProbes < 1) throw CoreError.BAD_ARGUMENT.error("timeout counts");
  }

  /** The same limits with other RTO bounds (tests use short ones; nothing asserts on time). */
  public UdxLimits withRto(Duration min, Duration max) {
    return new UdxLimits(maxPayloadBytes, receiveWindowBytes, maxInflightPackets, min, max, maxRtoTimeouts, maxZeroWindowProbes);
  }

  public UdxLimits withReceiveWindow(int bytes) {
    return new UdxLimits(maxPayloadBytes, bytes, maxInflightPackets, minRto, maxRto, maxRtoTimeouts, maxZeroWindowProbes);
  }
}
