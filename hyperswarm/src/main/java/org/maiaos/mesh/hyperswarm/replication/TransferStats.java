package org.maiaos.mesh.hyperswarm.replication;

/**
 * Blocks and bytes moved, per core or per peer: downloaded = verified and stored, uploaded = sent
 * in answer to a request.
 */
public record TransferStats(long downloadedBlocks, long downloadedBytes, long uploadedBlocks, long uploadedBytes) {
  static final TransferStats ZERO = new TransferStats(0, 0, 0, 0);

  TransferStats download(long bytes) {
    return new TransferStats(downloadedBlocks + 1, downloadedBytes + bytes, uploadedBlocks, uploadedBytes);
  }

  TransferStats upload(long bytes) {
    return new TransferStats(downloadedBlocks, downloadedBytes, uploadedBlocks + 1, uploadedBytes + bytes);
  }
}
