package org.maiaos.mesh.node.mesh;

import java.util.regex.Pattern;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * What a region node says first on the mesh channel ({@value #PROTOCOL}): the protocol version,
 * its region name, the key of its region bee and that bee's length as the connection opened (so a
 * peer that was away knows at once how far the bee grew meanwhile). Encoded with
 * compact-encoding: uint version, string region, 32-byte key, uint length. A region is 1 to 32 of {@code a-z 0-9 -}, so a peer cannot put
 * anything odd into logs, status pages or metric labels.
 */
public record MeshHello(long version, String region, Key32 beeKey, long beeLength) {
  public static final String PROTOCOL = "maiaos-mesh/1";
  public static final long VERSION = 1;
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
  /** The longest encoded hello: a version varint, a 32-byte region with its length, the key, a length varint. */
  static final int MAX_BYTES = 9 + 1 + 32 + Key32.BYTES + 9;

  public MeshHello {
    if (version < 0) throw CoreError.BAD_ARGUMENT.error("version %d", version);
    if (region == null || !REGION.matcher(region).matches()) {
      throw CoreError.BAD_ARGUMENT.error("region must be 1 to 32 of a-z, 0-9 and -");
    }
    if (beeKey == null) throw CoreError.BAD_ARGUMENT.error("null bee key");
    if (beeLength < 0) throw CoreError.BAD_ARGUMENT.error("bee length %d", beeLength);
  }

  /** This hello with the bee's length now. */
  public MeshHello withLength(long length) {
    return new MeshHello(version, region, beeKey, length);
  }

  /** True for a name {@link MeshHello} accepts as a region. */
  public static boolean validRegion(String region) {
    return region != null && REGION.matcher(region).matches();
  }

  public byte[] toBytes() {
    return Codecs.encode(this, MeshHello::preencode, MeshHello::encode);
  }

  /** DECODING_ERROR for anything but one well-formed hello. */
  public static MeshHello fromBytes(byte[] b) {
    if (b.length > MAX_BYTES) throw CoreError.DECODING_ERROR.error("mesh hello of %d bytes over %d", b.length, MAX_BYTES);
    return Codecs.decodeAll(b, MeshHello::decode);
  }

  static void preencode(State s, MeshHello m) {
    Uint.preencode(s, m.version);
    Bytes.preencodeString(s, m.region);
    Fixed.preencode(s, Key32.BYTES);
    Uint.preencode(s, m.beeLength);
  }

  static void encode(State s, MeshHello m) {
    Uint.encode(s, m.version);
    Bytes.encodeString(s, m.region);
    Fixed.encode(s, m.beeKey.toByteArray(), Key32.BYTES);
    Uint.encode(s, m.beeLength);
  }

  static MeshHello decode(State s) {
    long version = Uint.decode(s);
    String region = Bytes.decodeString(s);
    Key32 key = Key32.of(Fixed.decode(s, Key32.BYTES));
    long length = Uint.decode(s);
    try {
      return new MeshHello(version, region, key, length);
    } catch (org.maiaos.mesh.hypercore.HypercoreException e) {
      throw CoreError.DECODING_ERROR.error("mesh hello: %s", e.getMessage());
    }
  }
}
