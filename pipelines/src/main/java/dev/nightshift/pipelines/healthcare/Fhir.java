package dev.nightshift.pipelines.healthcare;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;

/**
 * The one HAPI FHIR R4 context of the JVM. A {@link FhirContext} is thread-safe and costly to build
 * (it scans the model classes), so every healthcare step shares this one; parsers are cheap and not
 * thread-safe, so each caller takes its own. HAPI resources are not {@code Serializable}: they never
 * travel between Beam steps, only the records parsed from them do.
 */
public final class Fhir {
  private Fhir() {}

  public static FhirContext context() {
    return FhirContext.forR4Cached();
  }

  /** A lenient JSON parser: unknown elements are ignored, as real-world FHIR needs. */
  public static IParser jsonParser() {
    return context().newJsonParser();
  }

  /**
   * The parser of inputs: lenient for unknown elements (real-world FHIR carries extensions and
   * elements of other versions), but an invalid value (a date, a code, a number; an object or
   * array in place of a value, or a value in place of one) is a {@link DataFormatException}, never
   * silently dropped; it logs nothing (inputs hold health data).
   */
  public static IParser readingParser() {
    return jsonParser()
        .setParserErrorHandler(
            new LenientErrorHandler(false) {
              @Override
              public void invalidValue(IParseLocation location, String value, String error) {
                throw new DataFormatException(
                    "invalid value" + (location == null ? "" : " at " + location) + ": " + error);
              }

              /**
               * An object or array where a value is expected, or the other way round ({@code
               * "item": "one"}): HAPI would drop the element and read on. A scalar of another kind
               * (a number written as a string) is still read.
               */
              @Override
              public void incorrectJsonType(IParseLocation location, String elementName,
                  BaseJsonLikeValue.ValueType expected, BaseJsonLikeValue.ScalarType expectedScalar,
                  BaseJsonLikeValue.ValueType found, BaseJsonLikeValue.ScalarType foundScalar) {
                if (expected != found && expected != BaseJsonLikeValue.ValueType.NULL
                    && found != BaseJsonLikeValue.ValueType.NULL) {
                  throw new DataFormatException("invalid value" + (location == null ? "" : " at " + location) + ": "
                      + createIncorrectJsonTypeMessage(elementName, expected, expectedScalar, found, foundScalar));
                }
                super.incorrectJsonType(location, elementName, expected, expectedScalar, found, foundScalar);
              }
            });
  }

  /** A strict JSON parser: any unknown element or invalid value is an error (used to check outputs). */
  public static IParser strictJsonParser() {
    return context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
  }

  /** Compact one-line JSON, as NDJSON needs; elements in HAPI's fixed order (deterministic bytes). */
  public static IParser ndjsonEncoder() {
    return context().newJsonParser().setPrettyPrint(false);
  }

  /**
   * One-line JSON by the R4 model's generated composer ({@code org.hl7.fhir.r4.formats.JsonParser},
   * part of HAPI FHIR's {@code org.hl7.fhir.r4} module that holds the model classes): the same
   * bytes as {@link #ndjsonEncoder()} (the claims tests re-encode every EOB with it to prove so),
   * about five times faster, since it calls generated code where the HAPI parser walks the model
   * by reflection (measured: 0.18 against 0.88 ms for a three-line ExplanationOfBenefit). For
   * outputs written in bulk. Not thread-safe: one per DoFn instance.
   */
  public static org.hl7.fhir.r4.formats.JsonParser ndjsonComposer() {
    org.hl7.fhir.r4.formats.JsonParser composer = new org.hl7.fhir.r4.formats.JsonParser();
    composer.setOutputStyle(org.hl7.fhir.r4.formats.IParser.OutputStyle.NORMAL);
    return composer;
  }
}
