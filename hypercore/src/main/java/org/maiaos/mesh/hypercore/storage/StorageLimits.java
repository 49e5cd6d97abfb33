package org.maiaos.mesh.hypercore.storage;

import org.maiaos.mesh.hypercore.CoreError;

/**
 * Every bound {@link CoreStorage} puts on what it reads from disk or accepts in a commit. Lengths
 * read from a file are checked against these (and against the file's size) before anything is
 * allocated. The reader must use limits at least as large as the writer did, so the public API
 * always uses {@link #DEFAULTS}; tests shrink them to reach the edges cheaply.
 *
 * @param maxBlockBytes largest block value (hypercore suggests at most 15 MiB)
 * @param maxEntryBytes largest oplog entry body, i.e. one whole commit
 * @param maxManifestBytes largest encoded manifest kept in the header
 * @param maxSignatureBytes largest head signature (multisig included)
 * @param checkpointBytes oplog size after which the next commit first checkpoints
 */
record StorageLimits(int maxBlockBytes, int maxEntryBytes, int maxManifestBytes, int maxSignatureBytes, long checkpointBytes) {
  static final int MIB = 1024 * 1024;

  /**
   * Block indices stay below 2^37 (flat-tree indices below 2^38), so that every file offset stays
   * under 16 TiB, the largest file ext4 holds: the tree file takes 80 bytes per block.
   */
  static final long MAX_BLOCKS = 1L << 37;
  static final long MAX_NODES = 2 * MAX_BLOCKS;

  /** 16 MiB blocks, 64 MiB commits, 1 MiB manifests and signatures, a checkpoint every 8 MiB of oplog. */
  static final StorageLimits DEFAULTS = new StorageLimits(16 * MIB, 64 * MIB, MIB, MIB, 8L * MIB);

  StorageLimits {
    if (maxBlockBytes < 0 || maxManifestBytes < 0 || maxSignatureBytes < 0 || checkpointBytes < 1) {
      throw CoreError.BAD_ARGUMENT.error("negative storage limit");
    }
    if (maxEntryBytes < 64 || maxEntryBytes > Integer.MAX_VALUE - 64) {
      throw CoreError.BAD_ARGUMENT.error("maxEntryBytes %d out of range", maxEntryBytes);
    }
  }

  /** The header file holds a manifest, a signature, a 64-byte secret key and a few numbers. */
  long maxHeaderBytes() {
    return (long) maxManifestBytes + maxSignatureBytes + 4096;
  }

  StorageLimits withCheckpointBytes(long bytes) {
    return new StorageLimits(maxBlockBytes, maxEntryBytes, maxManifestBytes, maxSignatureBytes, bytes);
  }
}
