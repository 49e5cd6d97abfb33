package org.maiaos.mesh.node.sync;

import java.time.Instant;

/**
 * Internal. An instant written as {@link Instant#toString()} writes it ({@code
 * 2026-12-08T00:27:50.197113990Z}: the fraction in groups of three digits, as many as it needs),
 * into a builder the caller already has. {@code Instant.toString} goes through a {@code
 * LocalDateTime}, its date and time and two more builders and strings; a client's name is built
 * for every log line that mentions it, so a burst of connections made most of its log garbage
 * here. Years 1970 to 9999 are written here, any other by {@code Instant.toString}.
 */
final class IsoInstant {
  /** 9999-12-31T23:59:59Z. */
  private static final long LAST_SECOND = 253_402_300_799L;

  private IsoInstant() {}

  static StringBuilder append(StringBuilder sb, long epochSecond, int nano) {
    if (epochSecond < 0 || epochSecond > LAST_SECOND) return sb.append(Instant.ofEpochSecond(epochSecond, nano));
    long days = epochSecond / 86_400;
    int secondOfDay = (int) (epochSecond % 86_400);
    // civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil inverse)
    long z = days + 719_468;
    long era = z / 146_097;
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    sb.append(year).append('-');
    two(sb, month).append('-');
    two(sb, day).append('T');
    two(sb, secondOfDay / 3600).append(':');
    two(sb, secondOfDay / 60 % 60).append(':');
    two(sb, secondOfDay % 60);
    if (nano > 0) {
      sb.append('.');
      int digits = nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
      int div = 100_000_000;
      for (int i = 0; i < digits; i++) {
        sb.append((char) ('0' + nano / div % 10));
        div /= 10;
      }
    }
    return sb.append('Z');
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
