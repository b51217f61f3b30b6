package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.Reasons;

/**
 * Dead-letter reason codes of the retail pipelines, on top of the shared ones in {@link Reasons}.
 * The retail order generator plants the row-level ones, so a test can check each is recognised.
 */
public final class RetailReasons {
  private RetailReasons() {}

  // --- retail orders (order-processing) ---
  /** InvoiceDate is not a date-time (yyyy-mm-dd hh:mm[:ss], ISO with T, or UCI's m/d/yyyy h:mm). */
  public static final String INVALID_DATE = Reasons.INVALID_DATE;
  /** Quantity is not a whole number, or UnitPrice not a decimal number. */
  public static final String INVALID_NUMBER = Reasons.INVALID_NUMBER;
  /** UnitPrice below zero (UCI's "Adjust bad debt" rows): not an order line. Zero is allowed. */
  public static final String NEGATIVE_PRICE = "NEGATIVE_PRICE";
  /** A cancellation invoice (InvoiceNo starting with C) whose quantity is not negative. */
  public static final String INVALID_CANCELLATION = "INVALID_CANCELLATION";
  /** Quantity 0: the line moves nothing and sells nothing. */
  public static final String ZERO_QUANTITY = "ZERO_QUANTITY";
  /** InvoiceNo is not six or more digits, optionally after one capital letter (C for cancellations). */
  public static final String INVALID_INVOICE_NO = "INVALID_INVOICE_NO";
  /** CustomerID is neither empty nor a whole number (optionally written with ".0", as UCI does). */
  public static final String INVALID_CUSTOMER_ID = "INVALID_CUSTOMER_ID";
}
