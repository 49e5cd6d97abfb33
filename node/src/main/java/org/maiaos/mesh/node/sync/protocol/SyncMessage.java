package org.maiaos.mesh.node.sync.protocol;

/** One message of the cojson sync protocol, as one line of a WebSocket text frame carries it. */
public sealed interface SyncMessage
    permits LoadMessage, KnownMessage, ContentSyncMessage, DoneMessage, ReconcileMessage, ReconcileAckMessage, IgnoredMessage {

  /** The CoValue (or, for reconcile, the batch) the message is about. */
  String id();

  /** The message as one line of JSON text. */
  String toJson();
}
