package org.maiaos.mesh.hyperswarm.mux;

import java.util.concurrent.CompletionStage;

/**
 * Asked when the peer opens a channel nothing here is waiting for (JS {@code mux.pair(..., notify)}).
 * To accept, create the matching channel with {@link Protomux#createChannel} and open it, either
 * right away (return null) or later on the mux's event loop (return a stage that completes after).
 * Once the call returns null, or its stage completes or times out, an open still unclaimed is
 * rejected. Runs on the event loop; must not block.
 */
@FunctionalInterface
public interface PairHandler {
  /** {@code id} is the channel id the peer sent (null if none). */
  CompletionStage<?> onPair(String protocol, byte[] id);
}
