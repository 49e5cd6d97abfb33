package org.maiaos.mesh.node.sync.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.maiaos.mesh.cojson.storage.model.Base58;

/**
 * A cojson account that writes VALID content in Java exactly as a real client does
 * ({@code LocalNode.withNewlyCreatedAccount}, {@code createGroup}, {@code group.createMap}; shapes
 * checked against frames of cojson 0.20.19, see {@code interop/cojson-fixtures.js}):
 *
 * <ul>
 *   <li>the account: header {@code {"type":"comap","ruleset":{"type":"group","initialAdmin":<agent>},
 *       "meta":{"type":"account"},"createdAt":null,"uniqueness":null}}, one session named after the
 *       <em>agent</em> ({@code <agentID>_session_z…}, as an account edits itself) whose first
 *       transaction makes the agent admin;
 *   <li>a group: {@code ruleset {"type":"group","initialAdmin":<accountID>}}, {@code meta null},
 *       {@code createdAt} now, {@code uniqueness "z"+base58(12 random bytes)}, session
 *       {@code <accountID>_session_z…} making the account admin and everyone a reader;
 *   <li>a CoMap: {@code ruleset {"type":"ownedByGroup","group":<groupID>}}, trusting {@code set}s.
 * </ul>
 *
 * Every session is signed by the agent (an account session's signer is its account's initial
 * admin). The reference server accepting this content is the proof that it is valid.
 */
public final class CojsonWriter {
  private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final CojsonAgent agent;
  private final CoValueDraft account;
  private final String sessionSuffix;

  private CojsonWriter(CojsonAgent agent) {
    this.agent = agent;
    this.sessionSuffix = CojsonAgent.randomSessionSuffix();
    ObjectNode h = SyncClient.JSON.createObjectNode();
    h.put("type", "comap");
    h.putObject("ruleset").put("type", "group").put("initialAdmin", agent.id());
    h.putObject("meta").put("type", "account");
    h.putNull("createdAt");
    h.putNull("uniqueness");
    this.account = new CoValueDraft(h);
    account.set(agentSession(), agent, agent.id(), "admin");
  }

  /** A new agent and its account (the account's first transaction already written). */
  public static CojsonWriter newAccount() {
    return new CojsonWriter(CojsonAgent.random());
  }

  /** The agent that signs every session of this account. */
  public CojsonAgent agent() {
    return agent;
  }

  /** The account CoValue: its first transaction (the agent made admin) is written already. */
  public CoValueDraft account() {
    return account;
  }

  public String accountId() {
    return account.id();
  }

  /** The session the account writes itself in: {@code <agentID>_session_z…}. */
  public String agentSession() {
    return agent.id() + "_session_" + sessionSuffix;
  }

  /** This device's session for every other value: {@code <accountID>_session_z…} (same random part, as cojson). */
  public String session() {
    return accountId() + "_session_" + sessionSuffix;
  }

  /** Another session of the same account (a second device or tab). */
  public String newSession() {
    return accountId() + "_session_" + CojsonAgent.randomSessionSuffix();
  }

  /** A new group owned by the account, readable by everyone. */
  public CoValueDraft newGroup() {
    ObjectNode h = SyncClient.JSON.createObjectNode();
    h.put("type", "comap");
    h.putObject("ruleset").put("type", "group").put("initialAdmin", accountId());
    h.putNull("meta");
    h.put("createdAt", createdAt());
    h.put("uniqueness", uniqueness());
    CoValueDraft g = new CoValueDraft(h);
    g.set(session(), agent, accountId(), "admin");
    g.set(session(), agent, "everyone", "reader");
    return g;
  }

  /** A new CoMap owned by {@code group} with trusting {@code set}s of {@code keyValues} (key, value, key, value…). */
  public CoValueDraft newMap(CoValueDraft group, String... keyValues) {
    ObjectNode h = SyncClient.JSON.createObjectNode();
    h.put("type", "comap");
    h.putObject("ruleset").put("type", "ownedByGroup").put("group", group.id());
    h.putNull("meta");
    h.put("createdAt", createdAt());
    h.put("uniqueness", uniqueness());
    CoValueDraft m = new CoValueDraft(h);
    for (int i = 0; i + 1 < keyValues.length; i += 2) m.set(session(), agent, keyValues[i], keyValues[i + 1]);
    return m;
  }

  /** Appends {@code set key=value} in this device's session of {@code value}. */
  public CojsonWriter set(CoValueDraft value, String key, String v) {
    value.set(session(), agent, key, v);
    return this;
  }

  /** {@code new Date().toISOString()}: always milliseconds, always {@code Z}. */
  private static String createdAt() {
    return ISO_MILLIS.format(Instant.now());
  }

  /** {@code crypto.uniquenessForHeader()}: {@code "z"} + base58 of 12 random bytes. */
  private static String uniqueness() {
    return "z" + Base58.encode(CojsonAgent.randomBytes(12));
  }

  @Override
  public String toString() {
    return "CojsonWriter " + accountId();
  }
}
