package org.maiaos.mesh.hyperswarm.secretstream;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

/**
 * A Noise XX handshake message from any bytes, at each of the three steps: the first input byte
 * picks the step (0: the responder reads message 1; 1: the initiator, having sent message 1, reads
 * message 2; 2: the responder, having read a real message 1 and sent message 2, reads message 3).
 * The read gives a payload or DECODING_ERROR, and a failed handshake refuses any further call
 * with INVALID_OPERATION. Keys are fixed so every input replays the same way.
 */
class NoiseHandshakeFuzzTest {
  private static final KeyPair ALICE = Ed25519.keyPair(seed(1));
  private static final KeyPair BOB = Ed25519.keyPair(seed(2));
  private static final KeyPair ALICE_E = Ed25519.keyPair(seed(3));
  private static final KeyPair BOB_E = Ed25519.keyPair(seed(4));

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  @FuzzTest
  void handshakeMessageReadsOrRefuses(byte[] input) {
    byte[] in = bounded(input);
    if (in.length == 0) return;
    byte[] message = Arrays.copyOfRange(in, 1, in.length);
    NoiseXX reader;
    switch ((in[0] & 0xFF) % 3) {
      case 0 -> reader = new NoiseXX(false, BOB, BOB_E);
      case 1 -> {
        reader = new NoiseXX(true, ALICE, ALICE_E);
        reader.send();
      }
      default -> {
        NoiseXX initiator = new NoiseXX(true, ALICE, ALICE_E);
        reader = new NoiseXX(false, BOB, BOB_E);
        reader.recv(initiator.send());
        reader.send();
      }
    }
    NoiseXX r = reader;
    byte[] payload = decodeOrRefuse(() -> r.recv(message), CoreError.DECODING_ERROR);
    if (payload == null) {
      decodeOrRefuse(() -> r.recv(message), CoreError.INVALID_OPERATION);
      decodeOrRefuse(() -> r.send(), CoreError.INVALID_OPERATION);
    } else if (payload.length > message.length) {
      throw new AssertionError("a payload of " + payload.length + " bytes from a message of " + message.length);
    }
  }
}
