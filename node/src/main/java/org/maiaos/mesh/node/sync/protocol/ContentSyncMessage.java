package org.maiaos.mesh.node.sync.protocol;

import org.maiaos.mesh.cojson.storage.model.ContentMessage;

/** {@code content}: a header and/or per session a contiguous slice of signed transactions. */
public record ContentSyncMessage(ContentMessage content) implements SyncMessage {
  @Override
  public String id() {
    return content.id();
  }

  @Override
  public String toJson() {
    return content.toJson();
  }
}
