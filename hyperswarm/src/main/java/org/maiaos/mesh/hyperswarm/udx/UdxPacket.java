package org.maiaos.mesh.hyperswarm.udx;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * One UDX datagram (libudx {@code udx_write_header} / {@code process_packet}): a 20-byte
 * little-endian header, then SACK blocks when {@link #SACK} is set, then {@code dataOffset}
 * bytes of padding (MTU probes) and the payload.
 *
 * <p>{@code remoteId}, {@code seq} and {@code ack} are unsigned 32-bit numbers held in an
 * {@code int}; sequence numbers are compared modulo 2^32 ({@link #seqDiff}). {@code rwnd} is the
 * unsigned window in bytes. The payload is copied in and never handed out, so a record is
 * immutable.
 */
record UdxPacket(
    int type, int dataOffset, int remoteId, long rwnd, int seq, int ack, List<Sack> sacks, byte[] payload) {

  public static final int MAGIC = 0xFF;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 20;
  public static final int DATA = 0x01;
  public static final int END = 0x02;
  public static final int SACK = 0x04;
  public static final int MESSAGE = 0x08;
  public static final int DESTROY = 0x10;
  public static final int HEARTBEAT = 0x20;
  /** libudx {@code UDX_MAX_SACKS}: the most blocks one ACK carries. */
  public static final int MAX_SACK_BLOCKS = 50;
  /** libudx {@code UDX_SOCKET_PACKET_BUFFER_SIZE}: a longer datagram is never a UDX packet. */
  public static final int MAX_DATAGRAM_BYTES = 2048;

  /** A received range {@code [start, end)} of packets above the cumulative ack. */
  public record Sack(int start, int end) {
    @Override
    public String toString() {
      return "[" + Integer.toUnsignedString(start) + "," + Integer.toUnsignedString(end) + ")";
    }
  }

  public UdxPacket {
    if ((type & ~0xFF) != 0) throw CoreError.BAD_ARGUMENT.error("type %d", type);
    if (dataOffset < 0 || dataOffset > 0xFF) throw CoreError.BAD_ARGUMENT.error("data offset %d", dataOffset);
    if (rwnd < 0 || rwnd > 0xFFFFFFFFL) throw CoreError.BAD_ARGUMENT.error("rwnd %d", rwnd);
    sacks = List.copyOf(sacks);
    payload = payload.clone();
    if (!sacks.isEmpty() && (type & SACK) == 0) throw CoreError.BAD_ARGUMENT.error("sack blocks without SACK");
    if (sacks.size() > MAX_SACK_BLOCKS) throw CoreError.BAD_ARGUMENT.error("%d sack blocks", sacks.size());
    if (!sacks.isEmpty() && dataOffset != 0 && dataOffset != 8 * sacks.size()) {
      throw CoreError.BAD_ARGUMENT.error("data offset %d with %d sack blocks", dataOffset, sacks.size());
    }
    // with data offset 0 a receiver reads everything after the header as SACK blocks
    if (!sacks.isEmpty() && dataOffset == 0 && payload.length > 0) {
      throw CoreError.BAD_ARGUMENT.error("payload after sack blocks needs a data offset");
    }
    if (encodedLength(sacks, dataOffset, payload) > MAX_DATAGRAM_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("packet of %d bytes", encodedLength(sacks, dataOffset, payload));
    }
  }

  /** A packet with no SACK blocks and no padding. */
  public static UdxPacket of(int type, int remoteId, long rwnd, int seq, int ack, byte[] payload) {
    return new UdxPacket(type, 0, remoteId, rwnd, seq, ack, List.of(), payload);
  }

  public boolean has(int flag) {
    return (type & flag) != 0;
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload array itself, for this package only: callers never modify it. */
  byte[] sharedPayload() {
    return payload;
  }

  /** The payload length, without copying it. */
  public int payloadLength() {
    return payload.length;
  }

  /** Copies the payload into {@code dst} (the record stays immutable). */
  public void writePayload(ByteBuf dst) {
    dst.writeBytes(payload);
  }

  public int encodedLength() {
    return encodedLength(sacks, dataOffset, payload);
  }

  private static int encodedLength(List<Sack> sacks, int dataOffset, byte[] payload) {
    return HEADER_BYTES + Math.max(8 * sacks.size(), dataOffset) + payload.length;
  }

  /** Writes the datagram into {@code out}: a pooled direct buffer goes to the socket without a copy. */
  public void encode(ByteBuf out) {
    out.ensureWritable(encodedLength());
    out.writeByte(MAGIC).writeByte(VERSION).writeByte(type).writeByte(dataOffset);
    out.writeIntLE(remoteId).writeIntLE((int) rwnd).writeIntLE(seq).writeIntLE(ack);
    for (Sack s : sacks) out.writeIntLE(s.start).writeIntLE(s.end);
    out.writeZero(Math.max(0, dataOffset - 8 * sacks.size())); // padding of an MTU probe
    out.writeBytes(payload);
  }

  /** The datagram as bytes (one array: the hot path touches no pooled buffer per field). */
  public byte[] toBytes() {
    byte[] b = new byte[encodedLength()];
    b[0] = (byte) MAGIC;
    b[1] = (byte) VERSION;
    b[2] = (byte) type;
    b[3] = (byte) dataOffset;
    putIntLE(b, 4, remoteId);
    putIntLE(b, 8, (int) rwnd);
    putIntLE(b, 12, seq);
    putIntLE(b, 16, ack);
    int at = HEADER_BYTES;
    for (Sack s : sacks) {
      putIntLE(b, at, s.start);
      putIntLE(b, at + 4, s.end);
      at += 8;
    }
    at = HEADER_BYTES + Math.max(8 * sacks.size(), dataOffset); // padding stays zero
    System.arraycopy(payload, 0, b, at, payload.length);
    return b;
  }

  private static void putIntLE(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  private static int getIntLE(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  /** True when the datagram starts like a UDX packet ({@code FF 01} and a whole header). */
  public static boolean looksLikeUdx(ByteBuf buf) {
    int i = buf.readerIndex();
    return buf.readableBytes() >= HEADER_BYTES && buf.getUnsignedByte(i) == MAGIC && buf.getUnsignedByte(i + 1) == VERSION;
  }

  /** The receiver's stream id of a datagram that {@link #looksLikeUdx}. */
  public static int peekStreamId(ByteBuf buf) {
    return buf.getIntLE(buf.readerIndex() + 4);
  }

  /**
   * Decodes one whole datagram without consuming {@code buf}. Follows libudx: with SACK set, the
   * blocks fill the data offset when it is inside the packet, else all bytes after the header (a
   * partial block is ignored); the payload starts after the data offset.
   *
   * @throws org.maiaos.mesh.hypercore.HypercoreException DECODING_ERROR for a short, foreign,
   *     oversized or inconsistent datagram
   */
  public static UdxPacket decode(ByteBuf buf) {
    int len = buf.readableBytes();
    if (len < HEADER_BYTES) throw CoreError.DECODING_ERROR.error("udx packet of %d bytes", len);
    if (len > MAX_DATAGRAM_BYTES) throw CoreError.DECODING_ERROR.error("udx packet of %d bytes", len);
    byte[] w = new byte[len];
    buf.getBytes(buf.readerIndex(), w);
    return decode(w);
  }

  /** {@link #decode(ByteBuf)} of a whole datagram held in {@code w}. */
  public static UdxPacket decode(byte[] w) {
    int len = w.length;
    if (len < HEADER_BYTES || len > MAX_DATAGRAM_BYTES) throw CoreError.DECODING_ERROR.error("udx packet of %d bytes", len);
    if ((w[0] & 0xFF) != MAGIC || (w[1] & 0xFF) != VERSION) {
      throw CoreError.DECODING_ERROR.error("not udx: %02x %02x", w[0] & 0xFF, w[1] & 0xFF);
    }
    int type = w[2] & 0xFF;
    int dataOffset = w[3] & 0xFF;
    int remoteId = getIntLE(w, 4);
    long rwnd = getIntLE(w, 8) & 0xFFFFFFFFL;
    int seq = getIntLE(w, 12);
    int ack = getIntLE(w, 16);
    int rest = len - HEADER_BYTES;
    if (dataOffset > rest) throw CoreError.DECODING_ERROR.error("data offset %d past %d bytes", dataOffset, rest);
    List<Sack> sacks = List.of();
    int payloadStart = dataOffset;
    if ((type & SACK) != 0) {
      int region = dataOffset > 0 ? dataOffset : rest;
      int blocks = region / 8;
      if (blocks > MAX_SACK_BLOCKS) {
        throw CoreError.DECODING_ERROR.error("%d sack blocks (max %d)", blocks, MAX_SACK_BLOCKS);
      }
      if (region % 8 != 0) throw CoreError.DECODING_ERROR.error("sack region of %d bytes", region);
      List<Sack> list = new ArrayList<>(blocks);
      for (int b = 0; b < blocks; b++) {
        int at = HEADER_BYTES + 8 * b;
        list.add(new Sack(getIntLE(w, at), getIntLE(w, at + 4)));
      }
      sacks = list;
      if (dataOffset == 0) payloadStart = rest;
    }
    byte[] payload = Arrays.copyOfRange(w, HEADER_BYTES + payloadStart, len);
    return new UdxPacket(type, dataOffset, remoteId, rwnd, seq, ack, sacks, payload);
  }

  /** Signed distance {@code a - b} modulo 2^32: positive when {@code a} is after {@code b}. */
  public static int seqDiff(int a, int b) {
    return a - b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UdxPacket p && type == p.type && dataOffset == p.dataOffset && remoteId == p.remoteId
        && rwnd == p.rwnd && seq == p.seq && ack == p.ack && sacks.equals(p.sacks) && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, dataOffset, remoteId, rwnd, seq, ack, sacks) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "UdxPacket[type=0x" + Integer.toHexString(type) + " off=" + dataOffset + " id=" + Integer.toUnsignedString(remoteId)
        + " rwnd=" + rwnd + " seq=" + Integer.toUnsignedString(seq) + " ack=" + Integer.toUnsignedString(ack)
        + (sacks.isEmpty() ? "" : " sacks=" + sacks) + " payload=" + payload.length + "B]";
  }
}
