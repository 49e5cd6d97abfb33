package org.maiaos.mesh.node.sync.protocol;

import java.util.List;

/**
 * {@code reconcile} (cojson 0.20.9+): a client lists CoValues with the short hash of its sessions;
 * the receiver loads the ones it lacks or holds differently, then acknowledges the batch.
 *
 * @param id     the batch id
 * @param values CoValue id and {@code shortHash_z…} of its sessions, in message order
 */
public record ReconcileMessage(String id, List<Entry> values) implements SyncMessage {
  public record Entry(String coValueId, String sessionsHash) {}

  public ReconcileMessage {
    values = List.copyOf(values);
  }

  @Override
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"action\":\"reconcile\",\"id\":").append(KnownStateJson.string(id)).append(",\"values\":[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) sb.append(',');
      sb.append('[').append(KnownStateJson.string(values.get(i).coValueId())).append(',')
          .append(KnownStateJson.string(values.get(i).sessionsHash())).append(']');
    }
    return sb.append("]}").toString();
  }
}
