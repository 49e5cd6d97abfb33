package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the RPC layer; misbehaving peers show up here rather than in the log. */
public final class RpcStats {
  final AtomicLong requests = new AtomicLong();
  final AtomicLong responses = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong timeouts = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong unmatched = new AtomicLong();
  final AtomicLong flooded = new AtomicLong();

  public long requests() {
    return requests.get();
  }

  public long responses() {
    return responses.get();
  }

  public long retries() {
    return retries.get();
  }

  public long timeouts() {
    return timeouts.get();
  }

  /** Datagrams dropped as undecodable, too short, too long or from port 0. */
  public long malformed() {
    return malformed.get();
  }

  /** Responses whose tid matched nothing in flight. */
  public long unmatched() {
    return unmatched.get();
  }

  /** Datagrams dropped because the inbox was full. */
  public long flooded() {
    return flooded.get();
  }
}
