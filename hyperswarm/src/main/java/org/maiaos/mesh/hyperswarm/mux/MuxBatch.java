package org.maiaos.mesh.hyperswarm.mux;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Messages collected while corked, sent as one control frame (JS {@code _pushBatch},
 * {@code _sendBatch}):
 * {@code 00 00 uint(firstChannel) { uint(len) item }*}, where {@code 00 uint(channel)} switches
 * channel (an item is never empty) and a control message rides on channel 0 without its leading
 * channel byte. The size is counted as items come, so the frame is allocated once.
 */
final class MuxBatch {
  private record Item(int localId, byte[] bytes) {}

  private final List<Item> items = new ArrayList<>();
  private long size = 1; // as JS: the first channel switch's marker counts the second 0 byte

  boolean isEmpty() {
    return items.isEmpty();
  }

  long size() {
    return size;
  }

  void add(int localId, byte[] item) {
    if (items.isEmpty() || items.get(items.size() - 1).localId != localId) {
      size += 1 + Uint.size(localId);
    }
    size += Uint.size(item.length) + item.length;
    items.add(new Item(localId, item));
  }

  byte[] encode() {
    State s = new State();
    s.buffer = new byte[Math.toIntExact(size)];
    s.end = s.buffer.length;
    s.buffer[s.start++] = 0;
    s.buffer[s.start++] = 0;
    int prev = items.get(0).localId;
    Uint.encode(s, prev);
    for (Item it : items) {
      if (it.localId != prev) {
        s.buffer[s.start++] = 0;
        Uint.encode(s, prev = it.localId);
      }
      Uint.encode(s, it.bytes.length);
      System.arraycopy(it.bytes, 0, s.buffer, s.start, it.bytes.length);
      s.start += it.bytes.length;
    }
    return s.buffer;
  }
}
