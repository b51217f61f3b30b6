package dev.nightshift.pipelines.retail;

import dev.nightshift.schemas.retail.OrderLine;
import dev.nightshift.schemas.retail.RetailReasons;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRecordParser;
import dev.nightshift.transforms.io.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates one row of the UCI Online Retail CSV. Checks, in this order, each with its
 * own reason: required fields present (MISSING_FIELD: InvoiceNo, StockCode, Quantity, InvoiceDate,
 * UnitPrice, Country; Description and CustomerID may be empty), InvoiceNo form
 * (INVALID_INVOICE_NO), Quantity a whole number and UnitPrice a decimal (INVALID_NUMBER),
 * InvoiceDate a date-time (INVALID_DATE), UnitPrice not negative (NEGATIVE_PRICE), CustomerID
 * digits (INVALID_CUSTOMER_ID), Quantity not zero (ZERO_QUANTITY), and a cancellation's quantity
 * negative (INVALID_CANCELLATION). A negative quantity on a non-C invoice is kept: UCI records
 * stock write-offs that way (zero price, no customer).
 */
public final class RetailParsers {
  private RetailParsers() {}

  /** Six or more digits, optionally after one capital letter (C = cancellation, A = adjustment). */
  static final Pattern INVOICE_NO = Pattern.compile("[A-Z]?[0-9]{6,18}");
  /** UCI writes customer ids as floats ("17850.0"); the ".0" is dropped. */
  static final Pattern CUSTOMER_ID = Pattern.compile("([0-9]{1,18})(\\.0+)?");

  /**
   * Stock codes that are not products: postage, discounts, manual adjustments, fees, carriage,
   * charity, samples, bad debt, and gift vouchers ({@code gift_...}). They never move stock.
   */
  public static final Set<String> NON_PRODUCT_CODES =
      Set.of("POST", "D", "M", "m", "BANK CHARGES", "DOT", "AMAZONFEE", "CRUK", "C2", "PADS", "S",
          "B");

  public static boolean isNonProduct(String stockCode) {
    return NON_PRODUCT_CODES.contains(stockCode) || stockCode.startsWith("gift_");
  }

  /** The date-time forms accepted: the sample's, ISO with a T, and the original UCI file's. */
  private static final List<DateTimeFormatter> DATE_TIMES =
      List.of(
          formatter("uuuu-MM-dd HH:mm:ss"),
          formatter("uuuu-MM-dd HH:mm"),
          formatter("uuuu-MM-dd'T'HH:mm:ss"),
          formatter("uuuu-MM-dd'T'HH:mm"),
          formatter("M/d/uuuu H:mm"),
          formatter("M/d/uuuu H:mm:ss"));

  private static DateTimeFormatter formatter(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }

  static LocalDateTime dateTime(String value) throws RecordException {
    for (DateTimeFormatter f : DATE_TIMES) {
      try {
        LocalDateTime t = LocalDateTime.parse(value, f);
        if (Values.isFourDigitYear(t.getYear())) { // uuuu also takes +99999
          return t;
        }
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    throw new RecordException(
        RetailReasons.INVALID_DATE, "'InvoiceDate' is not a date-time (yyyy-mm-dd hh:mm:ss): '" + value + "'");
  }

  public static final CsvRecordParser<OrderLine> ORDER_LINES =
      CsvRecordParser.of(
          OrderLine.COLUMNS,
          row -> {
            String invoiceNo = row.text("InvoiceNo");
            String stockCode = row.text("StockCode");
            String quantityText = row.text("Quantity");
            String dateText = row.text("InvoiceDate");
            String priceText = row.text("UnitPrice");
            String country = row.text("Country");
            if (!INVOICE_NO.matcher(invoiceNo).matches()) {
              throw new RecordException(
                  RetailReasons.INVALID_INVOICE_NO, "'InvoiceNo' is not an invoice number: '" + invoiceNo + "'");
            }
            long quantity = row.quantity("Quantity");
            BigDecimal price = row.decimal("UnitPrice");
            LocalDateTime time = dateTime(dateText);
            if (price.signum() < 0) {
              throw new RecordException(
                  RetailReasons.NEGATIVE_PRICE, "'UnitPrice' is negative: '" + priceText + "'");
            }
            String customerText = row.optText("CustomerID");
            String customerId = "";
            if (!customerText.isEmpty()) {
              var m = CUSTOMER_ID.matcher(customerText);
              if (!m.matches()) {
                throw new RecordException(
                    RetailReasons.INVALID_CUSTOMER_ID, "'CustomerID' is not a customer number: '" + customerText + "'");
              }
              customerId = m.group(1);
            }
            if (quantity == 0) {
              throw new RecordException(RetailReasons.ZERO_QUANTITY, "'Quantity' is 0");
            }
            if (invoiceNo.startsWith("C") && quantity > 0) {
              throw new RecordException(
                  RetailReasons.INVALID_CANCELLATION,
                  "cancellation " + invoiceNo + " has a positive quantity: " + quantityText);
            }
            return new OrderLine(invoiceNo, stockCode, row.optText("Description"), quantity, time,
                price, customerId, country, row.source());
          });

  /** quantity x unit price, half-even to pence (signed). */
  public static BigDecimal amount(long quantity, BigDecimal unitPrice) {
    return unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_EVEN);
  }
}
