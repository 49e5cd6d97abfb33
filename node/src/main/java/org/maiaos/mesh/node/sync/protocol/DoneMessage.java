package org.maiaos.mesh.node.sync.protocol;

/** {@code done}: defined by the protocol and ignored by every receiver, as in the reference. */
public record DoneMessage(String id) implements SyncMessage {
  @Override
  public String toJson() {
    return "{\"action\":\"done\",\"id\":" + KnownStateJson.string(id) + "}";
  }
}
