package dev.nightshift.pipelines.core;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The business date, one option shared by every pipeline that has one. Beam requires a property
 * that several options interfaces declare to carry the same annotations everywhere, and a batch
 * passes one date to all its pipelines, so it is declared once here.
 */
public interface BusinessDateOptions extends PipelineOptions {
  @Description(
      "Business date being processed, yyyy-mm-dd: trades and journals dated after it are refused;"
          + " inventory-update needs the snapshot of the day before.")
  @Default.String("2026-11-25")
  String getBusinessDate();

  void setBusinessDate(String value);

  /** The parsed business date; a missing or malformed one is refused before anything runs. */
  static java.time.LocalDate businessDate(BusinessDateOptions options) {
    String value = options.getBusinessDate();
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("--businessDate is required (yyyy-mm-dd)");
    }
    try {
      return java.time.LocalDate.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("--businessDate must be yyyy-mm-dd, got '" + value + "'");
    }
  }
}
