package dev.nightshift.pipelines.retail.report;

import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.retail.SalesLine;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.CsvRow;
import dev.nightshift.transforms.io.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Reads {@code order_lines.csv} as order-processing writes it (retail file contract). It trusts
 * nothing it cannot check cheaply: a line whose amount is not quantity x unit price (2 decimals,
 * half-even), whose line type is unknown or contradicts the customer field, is refused with
 * {@code INVALID_VALUE} rather than summed into a report.
 */
final class OrderLineParser {
  private OrderLineParser() {}

  static final Set<String> LINE_TYPES =
      Set.of(SalesLine.SALE, SalesLine.CANCELLATION, SalesLine.NON_PRODUCT, SalesLine.GUEST_PURCHASE);

  static final CsvRecordParser<SalesLine> ORDER_LINES =
      CsvRecordParser.of(SalesLine.COLUMNS, OrderLineParser::parse);

  static SalesLine parse(CsvRow row) throws RecordException {
    String invoice = row.text("invoice_no");
    long lineNo = row.lng("line_no");
    String stockCode = row.text("stock_code");
    long quantity = row.quantity("quantity");
    BigDecimal unitPrice = row.decimal("unit_price");
    BigDecimal amount = row.decimal("amount");
    if (amount.stripTrailingZeros().scale() > 2) {
      throw new RecordException(Reasons.INVALID_VALUE,
          "amount " + amount.toPlainString() + " has more than 2 decimals (GBP)");
    }
    BigDecimal expected = unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_EVEN);
    if (expected.compareTo(amount) != 0) {
      throw new RecordException(Reasons.INVALID_VALUE, "amount " + amount.toPlainString()
          + " is not quantity x unit_price = " + expected.toPlainString());
    }
    String time = row.text("invoice_time");
    LocalDateTime invoiceTime;
    try {
      invoiceTime = LocalDateTime.parse(time);
      if (!Values.isFourDigitYear(invoiceTime.getYear())) { // ISO takes +99999-01-01T00:00
        throw new DateTimeParseException("not a four-digit year", time, 0);
      }
    } catch (DateTimeParseException e) {
      throw new RecordException(Reasons.INVALID_DATE,
          "'invoice_time' is not an ISO date-time (yyyy-mm-ddTHH:mm): '" + time + "'");
    }
    String customer = row.optText("customer_id");
    if (!customer.isEmpty() && !customer.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new RecordException(Reasons.INVALID_VALUE, "customer_id '" + customer + "' is not digits");
    }
    String type = row.text("line_type");
    if (!LINE_TYPES.contains(type)) {
      throw new RecordException(Reasons.INVALID_VALUE, "line_type '" + type
          + "' is not SALE, CANCELLATION, NON_PRODUCT or GUEST_PURCHASE");
    }
    if (type.equals(SalesLine.SALE) && customer.isEmpty()) {
      throw new RecordException(Reasons.INVALID_VALUE, "a SALE line has no customer_id");
    }
    if (type.equals(SalesLine.GUEST_PURCHASE) && !customer.isEmpty()) {
      throw new RecordException(Reasons.INVALID_VALUE, "a GUEST_PURCHASE line has customer_id " + customer);
    }
    return new SalesLine(invoice, lineNo, stockCode, row.optText("description"), quantity, unitPrice,
        amount.setScale(2), invoiceTime, customer, row.text("country"), type, row.source());
  }
}
