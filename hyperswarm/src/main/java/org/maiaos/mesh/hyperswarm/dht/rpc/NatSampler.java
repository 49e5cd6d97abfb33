package org.maiaos.mesh.hyperswarm.dht.rpc;

/**
 * Our address as others see it ({@code nat-sampler}): a ring of the last 16 (host, port) and 16
 * (host, any port) samples. The top pair wins once its hits reach the threshold (size minus 0..3
 * as the ring fills); a host that wins without a stable port reports port 0 (a randomizing NAT).
 * Only the last four entries of each kind are searched for a match, as in JS.
 */
final class NatSampler {
  private static final class Sample {
    final String host;
    final int port;
    int hits = 1;

    Sample(String host, int port) {
      this.host = host;
      this.port = port;
    }
  }

  private final Sample[] samples = new Sample[32];
  private int count;
  private int top;
  private int size;
  private int threshold;
  private Sample a;
  private Sample b;
  private String host;
  private int port;

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public int size() {
    return size;
  }

  public int add(String sampleHost, int samplePort) {
    Sample sa = bump(sampleHost, samplePort, 2);
    Sample sb = bump(sampleHost, 0, 1);
    if (count < 32) {
      size++;
      threshold = size - (size < 4 ? 0 : size < 8 ? 1 : size < 12 ? 2 : 3);
      samples[count++] = sa;
      samples[count++] = sb;
      top += 2;
    } else {
      if (top == 32) top = 0;
      Sample oa = samples[top];
      samples[top++] = sa;
      oa.hits--;
      Sample ob = samples[top];
      samples[top++] = sb;
      ob.hits--;
    }
    if (a == null || a.hits < sa.hits) a = sa;
    if (b == null || b.hits < sb.hits) b = sb;
    if (a.hits >= threshold) {
      host = a.host;
      port = a.port;
    } else if (b.hits >= threshold) {
      host = b.host;
      port = 0;
    } else {
      host = null;
      port = 0;
    }
    return sa.hits;
  }

  private Sample bump(String h, int p, int inc) {
    for (int i = 0; i < 4; i++) {
      int j = (top - inc - 2 * i) & 31;
      if (j >= count) return new Sample(h, p);
      Sample s = samples[j];
      if (s.port == p && s.host.equals(h)) {
        s.hits++;
        return s;
      }
    }
    return new Sample(h, p);
  }
}
