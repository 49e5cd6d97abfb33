package org.maiaos.mesh.hyperswarm.dht.messages;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.State;

/**
 * A dht-rpc datagram from any bytes, decoded as RpcIo does (by its type byte: 0x03 a request,
 * 0x13 a response; anything else tried as both). A request or response, or DECODING_ERROR; a
 * decoded message re-encodes to bytes that decode to an equal one.
 */
class DhtMessageFuzzTest {
  @FuzzTest
  void datagramDecodesOrRefuses(byte[] input) {
    byte[] in = bounded(input);
    boolean response = in.length > 0 && (in[0] & 0xFF) == DhtResponse.TYPE;
    if (!response) {
      DhtRequest q = decodeOrRefuse(() -> DhtRequest.decode(State.of(in)), CoreError.DECODING_ERROR);
      if (q != null) {
        q.toString();
        requireSame(q, DhtRequest.decode(State.of(q.toBytes())));
      }
    }
    if (response || in.length > 0 && (in[0] & 0xFF) != DhtRequest.TYPE) {
      DhtResponse r = decodeOrRefuse(() -> DhtResponse.decode(State.of(in)), CoreError.DECODING_ERROR);
      if (r != null) {
        r.toString();
        requireSame(r, DhtResponse.decode(State.of(r.toBytes())));
      }
    }
  }
}
