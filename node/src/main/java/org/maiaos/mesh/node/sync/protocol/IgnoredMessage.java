package org.maiaos.mesh.node.sync.protocol;

/**
 * A well-formed JSON object that is no message we act on: a ping ({@code time}), an unknown
 * {@code action}, or an id that is not a CoValue ID. Receivers drop it, as the reference does.
 *
 * @param id     the id field, or "" when absent
 * @param reason why it is ignored, for a log line
 */
public record IgnoredMessage(String id, String reason) implements SyncMessage {
  @Override
  public String toJson() {
    throw new UnsupportedOperationException("an ignored message is never sent");
  }
}
