package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.Arrays;
import java.util.Objects;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * A dht-rpc request datagram ({@code dht-rpc/lib/io.js Request._encodeRequest / decode}): type byte
 * {@code 0x03}, flags (bit0 id, bit1 token, bit2 internal, bit3 target, bit4 value), tid as u16 LE,
 * the address it was sent to, then the optional fields in flag order. {@code id}, {@code token},
 * {@code target} and {@code value} are null when absent.
 */
public record DhtRequest(int tid, PeerAddress to, Key32 id, Key32 token, boolean internal, long command,
    Key32 target, byte[] value) {
  public static final int TYPE = 0x03;

  public DhtRequest {
    if (tid < 0 || tid > 0xFFFF) throw CoreError.BAD_ARGUMENT.error("tid %d", tid);
    Objects.requireNonNull(to, "to");
    Uint.size(command); // refuses a negative or unsafe command
    value = value == null ? null : value.clone();
  }

  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  /** True when a value is present (an empty value is present, as in JS, where any buffer is truthy). */
  public boolean hasValue() {
    return value != null;
  }

  public int flags() {
    return (id != null ? 1 : 0) | (token != null ? 2 : 0) | (internal ? 4 : 0) | (target != null ? 8 : 0)
        | (value != null ? 16 : 0);
  }

  public static void preencode(State s, DhtRequest m) {
    Messages.preencodeHeader(s, m.flags(), m.id, m.token);
    Uint.preencode(s, m.command);
    if (m.target != null) s.end += Key32.BYTES;
    if (m.value != null) Bytes.preencode(s, m.value);
  }

  public static void encode(State s, DhtRequest m) {
    Messages.encodeHeader(s, TYPE, m.flags(), m.tid, m.to, m.id, m.token);
    Uint.encode(s, m.command);
    if (m.target != null) Messages.encodeKey(s, m.target);
    if (m.value != null) Bytes.encode(s, m.value);
  }

  /**
   * Decodes one request. Trailing bytes are ignored as in JS, so a newer peer may append fields;
   * unknown flag bits are ignored likewise.
   */
  public static DhtRequest decode(State s) {
    Messages.Header h = Messages.decodeHeader(s, TYPE, "request");
    long command = Uint.decode(s);
    Key32 target = (h.flags() & 8) != 0 ? Messages.decodeKey(s) : null;
    byte[] value = (h.flags() & 16) != 0 ? Bytes.decode(s) : null;
    return new DhtRequest(h.tid(), h.to(), h.id(), h.token(), (h.flags() & 4) != 0, command, target, value);
  }

  public byte[] toBytes() {
    return Codecs.encode(this, DhtRequest::preencode, DhtRequest::encode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhtRequest r && tid == r.tid && internal == r.internal && command == r.command
        && to.equals(r.to) && Objects.equals(id, r.id) && Objects.equals(token, r.token)
        && Objects.equals(target, r.target) && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tid, to, id, token, internal, command, target) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "DhtRequest[tid=" + tid + ", to=" + to + ", id=" + (id != null) + ", token=" + (token != null)
        + ", internal=" + internal + ", command=" + command + ", target=" + target + ", value="
        + (value == null ? "none" : value.length + " bytes") + "]";
  }
}
