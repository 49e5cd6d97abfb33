package org.maiaos.mesh.hyperbee;

import java.util.ArrayList;
import java.util.List;

/**
 * 51 writes (found by random search) after which JS hyperbee 2.27.3 answers {@code get(co_z\0\1)}
 * with a stale entry (seq 39) although the key was deleted since: its get shortcut trusts a node
 * stored in an old block of that key, which a borrow moved back onto the key's search path. Each op
 * is {@code +keyhex=valuehex} ({@code =null} for a null value) or {@code -keyhex}.
 */
final class StaleGetFixture {
  static final byte[] KEY = BeeOps.HEX.parseHex("636f5f7a0001");
  static final long STALE_SEQ = 39;

  static final String OPS = "+636f5f7a41422f00010100=bf2782df3b5c5b41850a +636f5f7a41422f00010100=5468a2cc6d48274597662dc9dada3608068cafd079b03d3542b1ac2e1700eeb30eec006132810789e53bc682900806f0c11622a123d389824f27503834fd961fe215144e2427b1aadb973a814f9eedc969cd7e13cbd72ac7ce3b03871f74a90a8602d3eb22aedf4a0354709ea6d452d1e44ed733998d3686c92261d7c1f2ea523184fab03e6b41930be5fbed794a85edde436a062b04665db2b95fec98fe1adf23cf940f3e073707461b832d7ffbbdba4553a9ab0fa6491bdbcf4d4136f35ab31b361a951ec11e612a7387e9c486962ece26 +0101=b816b2be6bb8 -636f5f7a41422f00010100 +636f5f7a422f6800=75410f4ab6a76f3100 -6b0000 +636f5f7a41422f732f73657373312f=790c3c +636f5f7a41422f=78aed07a57 +636f5f7a41422f01010100=87119c61f0514d87c51450 +636f5f7a41422f732f73657373312f=90 +6b01010001=008522ce79cad3c9c837e7 -6b0000 +636f5f7a41422f=aba0b8e213ad346a +636f5f7a422f6800= +0101=31c351e98f906d4c437857f3 +=null -636f5f7a41422f -6b01ff0100 +636f5f7a41ffffff=93d92d9b +010101=3d1a02f3e327b5f8a8 +636f5f7a41422f00010100=7c +636f5f7a41422f01010100=343c034f8bc526d6da4c +636f5f7a41422f=a564beadd57ac844a10ed48a -6b01ff0100 +6b0000= -636f5f7a41422f +636f5f7a410101ff01=4f7b65a6ff4ad8 -636f5f7a0001 +636f5f7a422f68=143b -6b00000001 -636f5f7a41422f732f73657373312f +636f5f7a0001=0ab81d +636f5f7a422f68010001=a6f9526ae038b51e7740ae +636f5f7a41422f732f73657373312f00=null -636f5f7a0001 +636f5f7a422f68010001=8a +0101=af3e84c9 +636f5f7aff01ffff=5b -636f5f7a41422f01010100 +00=9d7dc58971023ad14af3829c +636f5f7a41422f01010100=f8f74971daeb879d09 +6b01010001=4ce8bd4a1038 +6b01ff0100= +636f5f7a41422f732f0000=0ab0885da8d6f78cfc4a8344 +636f5f7a0001=08d788ef2eec88 -636f5f7a41422f00010100 +636f5f7a422f6801=1fcf7aaf -6b0101ff +636f5f7a01ff01=2f7a1970b937 -636f5f7a0001 +6b0000=0d";

  private StaleGetFixture() {}

  static List<BeeOps.Op> ops() {
    List<BeeOps.Op> out = new ArrayList<>();
    for (String s : OPS.split(" ")) {
      if (s.startsWith("-")) {
        out.add(new BeeOps.Op("del", List.of(), BeeOps.HEX.parseHex(s.substring(1)), null, false, null));
      } else {
        String[] kv = s.substring(1).split("=", -1);
        byte[] v = kv[1].equals("null") ? null : BeeOps.HEX.parseHex(kv[1]);
        out.add(new BeeOps.Op("put", List.of(), BeeOps.HEX.parseHex(kv[0]), v, false, null));
      }
    }
    return out;
  }
}
