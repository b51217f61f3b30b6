package dev.nightshift.schemas.finance;

import java.util.Optional;

/**
 * The markets Nightshift settles, by ISO 10383 MIC, with their settlement cycle: T+1 for US
 * markets (SEC rule 15c6-1 since May 2024), T+2 for European markets (CSDR).
 */
public enum Market {
  XNYS(Region.US, "USD"),
  XNAS(Region.US, "USD"),
  XETR(Region.EU, "EUR"),
  XPAR(Region.EU, "EUR"),
  XAMS(Region.EU, "EUR"),
  XLON(Region.EU, "GBP");

  /** Settlement regions and their cycles in business days. */
  public enum Region {
    US(1),
    EU(2);

    private final int settlementDays;

    Region(int settlementDays) {
      this.settlementDays = settlementDays;
    }

    public int settlementDays() {
      return settlementDays;
    }
  }

  private final Region region;
  private final String currency;

  Market(Region region, String currency) {
    this.region = region;
    this.currency = currency;
  }

  public Region region() {
    return region;
  }

  public int settlementDays() {
    return region.settlementDays();
  }

  /** The market's usual trading currency (a security may trade in another). */
  public String currency() {
    return currency;
  }

  public static Optional<Market> of(String mic) {
    for (Market m : values()) {
      if (m.name().equals(mic)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
