package org.maiaos.mesh.hyperbee.tree;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Block 0 of a bee: {@code protocol} (always "hyperbee" when written by a bee) and the optional
 * metadata. {@code hasMetadata} distinguishes "metadata present but empty" ({@code 12 00}) from absent.
 */
public record HeaderBlock(String protocol, boolean hasMetadata, byte[] contentFeed, byte[] userData) {
  public static final String PROTOCOL = "hyperbee";

  public HeaderBlock {
    contentFeed = contentFeed == null ? null : contentFeed.clone();
    userData = userData == null ? null : userData.clone();
  }

  @Override
  public byte[] contentFeed() {
    return contentFeed == null ? null : contentFeed.clone();
  }

  @Override
  public byte[] userData() {
    return userData == null ? null : userData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeaderBlock h && protocol.equals(h.protocol) && hasMetadata == h.hasMetadata
        && Arrays.equals(contentFeed, h.contentFeed) && Arrays.equals(userData, h.userData);
  }

  @Override
  public int hashCode() {
    return (protocol.hashCode() * 31 + Arrays.hashCode(contentFeed)) * 31 + Arrays.hashCode(userData);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "HeaderBlock[" + protocol + (hasMetadata ? ", contentFeed=" + (contentFeed == null ? null : hex.formatHex(contentFeed))
        + ", userData=" + (userData == null ? null : hex.formatHex(userData)) : "") + "]";
  }
}
