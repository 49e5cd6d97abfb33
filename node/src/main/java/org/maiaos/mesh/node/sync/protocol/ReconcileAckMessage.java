package org.maiaos.mesh.node.sync.protocol;

/** {@code reconcile-ack}: every CoValue of reconcile batch {@code id} has been settled. */
public record ReconcileAckMessage(String id) implements SyncMessage {
  @Override
  public String toJson() {
    return "{\"action\":\"reconcile-ack\",\"id\":" + KnownStateJson.string(id) + "}";
  }
}
