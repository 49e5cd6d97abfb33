package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * A dht-rpc response datagram ({@code dht-rpc/lib/io.js Request._sendReply / decodeReply}): type
 * byte {@code 0x13}, flags (bit0 id, bit1 token, bit2 closerNodes, bit3 error, bit4 value), tid as
 * u16 LE, the requester's address as the responder saw it, then the optional fields in flag order.
 * As in JS the closer-nodes flag is written only for a non-empty list and the error flag only for a
 * non-zero code; absent fields decode as null, an empty list and 0.
 */
public record DhtResponse(int tid, PeerAddress to, Key32 id, Key32 token, List<PeerAddress> closerNodes,
    long error, byte[] value) {
  public static final int TYPE = 0x13;

  public DhtResponse {
    if (tid < 0 || tid > 0xFFFF) throw CoreError.BAD_ARGUMENT.error("tid %d", tid);
    Objects.requireNonNull(to, "to");
    closerNodes = closerNodes == null ? List.of() : List.copyOf(closerNodes);
    if (closerNodes.size() > Messages.MAX_CLOSER_NODES) {
      throw CoreError.BAD_ARGUMENT.error("%d closer nodes over limit", closerNodes.size());
    }
    Uint.size(error);
    value = value == null ? null : value.clone();
  }

  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  public boolean hasValue() {
    return value != null;
  }

  public int flags() {
    return (id != null ? 1 : 0) | (token != null ? 2 : 0) | (!closerNodes.isEmpty() ? 4 : 0)
        | (error > 0 ? 8 : 0) | (value != null ? 16 : 0);
  }

  public static void preencode(State s, DhtResponse m) {
    Messages.preencodeHeader(s, m.flags(), m.id, m.token);
    if (!m.closerNodes.isEmpty()) {
      Uint.preencode(s, m.closerNodes.size());
      s.end += m.closerNodes.size() * PeerAddress.BYTES;
    }
    if (m.error > 0) Uint.preencode(s, m.error);
    if (m.value != null) Bytes.preencode(s, m.value);
  }

  public static void encode(State s, DhtResponse m) {
    Messages.encodeHeader(s, TYPE, m.flags(), m.tid, m.to, m.id, m.token);
    if (!m.closerNodes.isEmpty()) {
      Uint.encode(s, m.closerNodes.size());
      for (PeerAddress a : m.closerNodes) PeerAddress.encode(s, a);
    }
    if (m.error > 0) Uint.encode(s, m.error);
    if (m.value != null) Bytes.encode(s, m.value);
  }

  /** Decodes one response; trailing bytes and unknown flag bits are ignored as in JS. */
  public static DhtResponse decode(State s) {
    Messages.Header h = Messages.decodeHeader(s, TYPE, "response");
    List<PeerAddress> nodes = (h.flags() & 4) != 0 ? Messages.decodeNodes(s) : List.of();
    long error = (h.flags() & 8) != 0 ? Uint.decode(s) : 0;
    byte[] value = (h.flags() & 16) != 0 ? Bytes.decode(s) : null;
    return new DhtResponse(h.tid(), h.to(), h.id(), h.token(), nodes, error, value);
  }

  public byte[] toBytes() {
    return Codecs.encode(this, DhtResponse::preencode, DhtResponse::encode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhtResponse r && tid == r.tid && error == r.error && to.equals(r.to)
        && Objects.equals(id, r.id) && Objects.equals(token, r.token) && closerNodes.equals(r.closerNodes)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tid, to, id, token, closerNodes, error) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "DhtResponse[tid=" + tid + ", to=" + to + ", id=" + (id != null) + ", token=" + (token != null)
        + ", closerNodes=" + closerNodes.size() + ", error=" + error + ", value="
        + (value == null ? "none" : value.length + " bytes") + "]";
  }
}
