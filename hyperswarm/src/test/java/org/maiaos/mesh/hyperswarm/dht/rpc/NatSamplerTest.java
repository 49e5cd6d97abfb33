package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class NatSamplerTest {
  @Test
  void oneSampleIsEnoughAtFirst() {
    NatSampler n = new NatSampler();
    n.add("1.2.3.4", 1000);
    assertEquals("1.2.3.4", n.host());
    assertEquals(1000, n.port());
  }

  @Test
  void disagreeingPortsOnOneHostReportPortZero() {
    NatSampler n = new NatSampler();
    n.add("1.2.3.4", 1000);
    n.add("1.2.3.4", 1001);
    assertEquals("1.2.3.4", n.host());
    assertEquals(0, n.port(), "a randomizing NAT");
  }

  @Test
  void disagreeingHostsReportNothing() {
    NatSampler n = new NatSampler();
    n.add("1.2.3.4", 1000);
    n.add("5.6.7.8", 1000);
    assertNull(n.host());
  }

  @Test
  void theThresholdLetsAFewOutliersPassOnceTheRingFills() {
    NatSampler n = new NatSampler();
    for (int i = 0; i < 11; i++) n.add("1.2.3.4", 1000);
    n.add("9.9.9.9", 1);
    n.add("9.9.9.9", 2);
    assertEquals("1.2.3.4", n.host());
    assertEquals(1000, n.port());
    assertEquals(13, n.size());
  }

  @Test
  void theRingForgetsOldSamples() {
    NatSampler n = new NatSampler();
    for (int i = 0; i < 16; i++) n.add("1.2.3.4", 1000);
    for (int i = 0; i < 16; i++) n.add("5.6.7.8", 2000);
    assertEquals("5.6.7.8", n.host());
    assertEquals(2000, n.port());
    assertEquals(16, n.size(), "the size stops at the ring's 16 pairs");
  }
}
