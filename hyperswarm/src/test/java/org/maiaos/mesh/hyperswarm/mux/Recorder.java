package org.maiaos.mesh.hyperswarm.mux;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;

/** A channel listener that writes down what happens, as short strings: open:hex, msg:type:hex, close:remote, destroy. */
final class Recorder implements MuxChannel.Listener {
  private static final HexFormat HEX = HexFormat.of();
  final List<String> events = new ArrayList<>();
  final List<byte[]> messages = new ArrayList<>();

  @Override
  public void onOpen(MuxChannel channel, byte[] handshake) {
    events.add("open:" + HEX.formatHex(handshake));
  }

  @Override
  public void onMessage(MuxChannel channel, int type, State message) {
    byte[] m = Bytes.decodeRaw(message);
    messages.add(m);
    events.add("msg:" + type + ":" + (m.length > 64 ? m.length + "B" : HEX.formatHex(m)));
  }

  @Override
  public void onClose(MuxChannel channel, boolean remote) {
    events.add("close:" + remote);
  }

  @Override
  public void onDestroy(MuxChannel channel) {
    events.add("destroy");
  }
}
