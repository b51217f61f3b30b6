package dev.nightshift.schemas.retail;

/**
 * Dead-letter reason codes of {@code inventory-update}, on top of the shared ones in
 * {@link dev.nightshift.schemas.Reasons}. The inventory generator plants each of these.
 */
public final class InventoryReasons {
  private InventoryReasons() {}

  // --- retail inventory ---
  /** A movement or goods receipt dated another day than the business date being processed. */
  public static final String WRONG_BUSINESS_DATE = "WRONG_BUSINESS_DATE";
  /**
   * A quantity out of range: a negative sold or returned quantity, a receipt quantity that is not
   * positive, or a negative reorder point or reorder quantity in the snapshot.
   */
  public static final String INVALID_QUANTITY = "INVALID_QUANTITY";
  /**
   * With {@code --catalog}: a movement or receipt of a SKU the product catalog does not list (the
   * generator's {@code UNK-} SKUs, which its catalog leaves out).
   */
  public static final String UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT";
  /** With {@code --stores}: a movement or receipt of a store the store list does not have. */
  public static final String UNKNOWN_STORE = "UNKNOWN_STORE";
}
