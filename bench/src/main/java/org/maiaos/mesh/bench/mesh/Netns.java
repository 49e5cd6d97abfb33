package org.maiaos.mesh.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's private network: one Linux network namespace per endpoint (each region, the
 * central server, the DHT bootstrap node) with one address of {@value #SUBNET}0/24 on a TUN device,
 * and a hub namespace where the {@link DelaySwitch} joins those devices with a fixed one-way
 * delay. Nothing is created in, or routed to, the host's own namespace: the devices are made in
 * the hub and moved straight into their endpoint's namespace, no namespace has a default route,
 * and the switch drops any packet whose address is not in its table. Processes in one endpoint
 * reach each other over its own address with no delay (local delivery never touches the device).
 *
 * <p>Names carry this JVM's pid ({@code mb<pid>-us}), so a leftover of a run that was killed -9 is
 * recognised (its pid is gone) and removed by the next run. {@link #close} stops any child still
 * running, then the switch, deletes every namespace and checks that none is left; a shutdown hook
 * does the same if the benchmark is interrupted. (After a kill -9 of the benchmark the agents, the
 * JS server and the switch end with their stdin; the region nodes at their {@code timeout}.)
 */
final class Netns implements AutoCloseable {
  static final String SUBNET = "10.213.0.";
  private static final Pattern OURS = Pattern.compile("^mb(\\d+)-[a-z]+");
  private static final Duration COMMAND = Duration.ofSeconds(20);

  private final String prefix = "mb" + ProcessHandle.current().pid() + "-";
  private final Map<String, String> addresses;
  private final List<String> created = new ArrayList<>();
  private final Thread hook = new Thread(this::close, "bench-netns-cleanup");
  private Child delaySwitch;
  private boolean closed;

  private Netns(Map<String, String> addresses) {
    this.addresses = addresses;
  }

  /**
   * Creates the namespaces of {@code endpoints} (name to address) and the hub, and starts the
   * switch with {@code oneWay} delay between any two endpoints.
   */
  static Netns create(Map<String, String> endpoints, Duration oneWay, Path logDir, Duration deadline) throws Exception {
    removeStale();
    Netns n = new Netns(new LinkedHashMap<>(endpoints));
    Runtime.getRuntime().addShutdownHook(n.hook);
    try {
      n.build(oneWay, logDir, deadline);
    } catch (Exception e) {
      n.close();
      throw e;
    }
    return n;
  }

  private void build(Duration oneWay, Path logDir, Duration deadline) throws Exception {
    List<String> all = new ArrayList<>(addresses.keySet());
    all.add("hub");
    for (String e : all) {
      ip("netns", "add", ns(e));
      created.add(ns(e));
      run(exec(e, List.of("ip", "link", "set", "lo", "up")));
      run(exec(e, List.of("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")));
    }
    // niced: the delay is only as exact as the switch's writer thread is prompt, on a machine others share
    List<String> cmd = new ArrayList<>(List.of("nice", "-n", "-10", java(), "-Xmx64m", "-cp", System.getProperty("java.class.path"), DelaySwitch.class.getName(), String.valueOf(TimeUnit.NANOSECONDS.toMicros(oneWay.toNanos()))));
    addresses.forEach((name, ip) -> cmd.add(name + "=" + ip));
    delaySwitch = Child.start("delay-switch", exec("hub", bounded(cmd, deadline)), Map.of(), logDir, logDir.resolve("delay-switch.log"), true);
    delaySwitch.expect("created", Duration.ofSeconds(60));
    for (Map.Entry<String, String> e : addresses.entrySet()) {
      String dev = device(e.getKey());
      run(exec("hub", List.of("ip", "link", "set", "dev", dev, "netns", ns(e.getKey()))));
      run(exec(e.getKey(), List.of("ip", "addr", "add", e.getValue() + "/24", "dev", dev)));
      run(exec(e.getKey(), List.of("ip", "link", "set", "dev", dev, "up")));
    }
  }

  /** Cuts {@code endpoint} off: from the switch's answer on, every packet to or from it is dropped. */
  synchronized void cut(String endpoint) throws IOException, InterruptedException {
    delaySwitch.write("cut " + endpoint);
    delaySwitch.expect("cut " + endpoint, COMMAND);
  }

  /** Ends the cut of {@code endpoint}; returns the packets dropped during it. */
  synchronized long heal(String endpoint) throws IOException, InterruptedException {
    delaySwitch.write("heal " + endpoint);
    return Long.parseLong(delaySwitch.expect("heal " + endpoint + " ", COMMAND).trim());
  }

  /** The TUN device of endpoint {@code name} (Linux allows 15 bytes). */
  static String device(String name) {
    return "mbt-" + name;
  }

  String address(String endpoint) {
    return addresses.get(endpoint);
  }

  String ns(String endpoint) {
    return prefix + endpoint;
  }

  /** {@code cmd} run inside the namespace of {@code endpoint}. */
  List<String> exec(String endpoint, List<String> cmd) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns(endpoint)));
    c.addAll(cmd);
    return c;
  }

  /** {@code cmd} under coreutils {@code timeout}: SIGTERM at {@code deadline}, SIGKILL 10 s later. */
  static List<String> bounded(List<String> cmd, Duration deadline) {
    List<String> c = new ArrayList<>(List.of("timeout", "--kill-after=10s", deadline.toSeconds() + "s"));
    c.addAll(cmd);
    return c;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: this is the hook
    }
    // whatever still runs lives in our namespaces (only if the benchmark was interrupted): stop it first
    Child.closeAll(delaySwitch);
    if (delaySwitch != null) {
      delaySwitch.close();
      try {
        List<String> log = Files.readAllLines(delaySwitch.log, StandardCharsets.UTF_8);
        log.stream().filter(l -> l.startsWith("delay-switch:")).forEach(l -> System.out.println("mesh bench: " + l));
      } catch (IOException e) {
        System.err.println("mesh bench: no switch log: " + e);
      }
    }
    List<String> failed = new ArrayList<>();
    for (String n : created) {
      try {
        ip("netns", "del", n);
      } catch (IOException | InterruptedException e) {
        failed.add(n + " (" + e.getMessage() + ")");
      }
    }
    List<String> left = new ArrayList<>();
    try {
      for (String n : list()) if (n.startsWith(prefix)) left.add(n);
    } catch (IOException | InterruptedException e) {
      failed.add("ip netns list: " + e.getMessage());
    }
    if (!left.isEmpty() || !failed.isEmpty()) {
      System.err.println("mesh bench: namespaces left behind: " + left + "; failures: " + failed);
    } else {
      System.out.println("mesh bench: network removed (" + created.size() + " namespaces deleted, none left)");
    }
  }

  /** Namespaces of earlier runs whose JVM is gone (killed before it could clean up). */
  private static void removeStale() throws IOException, InterruptedException {
    for (String n : list()) {
      Matcher m = OURS.matcher(n);
      if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        System.err.println("mesh bench: removing namespace " + n + " left by a run that was killed");
        ip("netns", "del", n);
      }
    }
  }

  private static List<String> list() throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (String l : run(List.of("ip", "netns", "list")).split("\n")) if (!l.isBlank()) out.add(l.trim().split("\\s+")[0]);
    return out;
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of("ip"));
    c.addAll(List.of(args));
    run(c);
  }

  /** Runs a short command to its end within {@link #COMMAND}; its stdout, or an error with its stderr. */
  static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new IOException("timed out: " + String.join(" ", cmd));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + ": " + out.trim());
    return out;
  }
}
