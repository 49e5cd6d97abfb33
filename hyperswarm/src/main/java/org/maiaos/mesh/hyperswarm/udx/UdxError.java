package org.maiaos.mesh.hyperswarm.udx;

import org.maiaos.mesh.hypercore.ErrorCode;

/** Why a UDX stream closed with an error; spelled as libudx reports them through udx-native. */
public enum UdxError implements ErrorCode {
  /** The peer stopped acknowledging (too many retransmission timeouts or zero-window probes). */
  ETIMEDOUT,
  /** The peer sent DESTROY. */
  ECONNRESET,
  /** The peer broke the protocol badly enough that this stream cannot go on. */
  PROTOCOL_ERROR,
  /** The socket under the stream closed. */
  SOCKET_CLOSED
}
