package org.maiaos.mesh.node.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * One snapshot of a region node, read by both {@code GET /status} ({@link #toJson}, the shape
 * CLI.md gives) and {@code GET /} ({@link StatusPage}). Taking it reads only published state (the
 * bee's head, the mesh's peer map, the replicators' counters): cheap enough for the event loop.
 * Peers are sorted by region, then node key, so the page does not reorder on every refresh.
 */
record NodeStatus(String region, Key32 publicKey, Key32 beeKey, long beeLength, int clients, List<Peer> peers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A peer region as this node sees it. {@code downloadedBlocks} counts blocks of its bee downloaded
   * and verified since this node started, not the blocks held locally: the store can only answer
   * that block by block ({@link Hypercore#has}, a positional read each), which is no job for the
   * event loop on a bee of millions of blocks.
   */
  public record Peer(String region, Key32 publicKey, Key32 beeKey, boolean connected, long remoteLength, long downloadedBlocks,
      long lagMillis) {
    /** A peer whose propagation lag was not measured yet ({@code lagMillis} -1). */
    public Peer(String region, Key32 publicKey, Key32 beeKey, boolean connected, long remoteLength, long downloadedBlocks) {
      this(region, publicKey, beeKey, connected, remoteLength, downloadedBlocks, -1);
    }
  }

  public NodeStatus {
    peers = List.copyOf(peers);
  }

  static NodeStatus of(String region, Key32 publicKey, Hypercore bee, int clients, RegionMesh mesh) {
    List<Peer> peers = new ArrayList<>();
    for (RegionMesh.PeerRegion p : mesh.peers()) {
      peers.add(new Peer(p.region(), p.nodeKey(), p.beeKey(), p.connected(), p.replicator().core().length(),
          p.replicator().stats().downloadedBlocks(), p.lastLagMillis()));
    }
    peers.sort(Comparator.comparing(Peer::region).thenComparing(p -> p.publicKey().hex()));
    return new NodeStatus(region, publicKey, bee.key(), bee.length(), clients, peers);
  }

  /** {@code GET /status}: {@code {"region","publicKey","beeKey","beeLength","clients","peers":[...]}}. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("region", region);
    o.put("publicKey", publicKey.hex());
    o.put("beeKey", beeKey.hex());
    o.put("beeLength", beeLength);
    o.put("clients", clients);
    ArrayNode list = o.putArray("peers");
    for (Peer p : peers) {
      list.addObject()
          .put("region", p.region())
          .put("publicKey", p.publicKey().hex())
          .put("beeKey", p.beeKey().hex())
          .put("connected", p.connected())
          .put("remoteLength", p.remoteLength())
          .put("downloadedBlocks", p.downloadedBlocks());
    }
    return o.toString();
  }
}
