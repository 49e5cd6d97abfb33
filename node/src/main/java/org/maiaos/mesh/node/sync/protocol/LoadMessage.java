package org.maiaos.mesh.node.sync.protocol;

import org.maiaos.mesh.cojson.storage.model.KnownState;

/** {@code load}: the sender subscribes to a CoValue and says what it holds (a full state, not a delta). */
public record LoadMessage(KnownState known) implements SyncMessage {
  @Override
  public String id() {
    return known.id();
  }

  @Override
  public String toJson() {
    return "{\"action\":\"load\"," + KnownStateJson.fields(known) + "}";
  }
}
