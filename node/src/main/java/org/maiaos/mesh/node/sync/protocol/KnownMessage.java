package org.maiaos.mesh.node.sync.protocol;

import org.maiaos.mesh.cojson.storage.model.KnownState;

/**
 * {@code known}: what the sender holds after processing; also the "not found" answer
 * ({@code header:false}). With {@code isCorrection} the receiver replaces, not merges, its view.
 */
public record KnownMessage(KnownState known, boolean isCorrection) implements SyncMessage {
  @Override
  public String id() {
    return known.id();
  }

  @Override
  public String toJson() {
    // the field order JSON.stringify gives the reference's { action, isCorrection, ...knownState }
    return "{\"action\":\"known\"," + (isCorrection ? "\"isCorrection\":true," : "") + KnownStateJson.fields(known) + "}";
  }
}
