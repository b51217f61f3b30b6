package dev.nightshift.transforms.io;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where reference data tables are: the options of every pipeline whose reference inputs may be a
 * database table ({@code --securities=jdbc:securities}) instead of a file. See {@link ReadReference}.
 */
public interface ReferenceDbOptions extends PipelineOptions {

  @Description(
      "JDBC URL of the reference database, e.g. jdbc:postgresql://127.0.0.1:5432/nightshift. Reference"
          + " inputs given as jdbc:TABLE (or jdbc:SCHEMA.TABLE) are read from it with Beam's JdbcIO."
          + " Never put a password in it: see --referenceDbPassword.")
  String getReferenceDb();

  void setReferenceDb(String value);

  @Description("User of the reference database.")
  String getReferenceDbUser();

  void setReferenceDbUser(String value);

  @Description(
      "Where the password of --referenceDbUser is: env:VARIABLE or file:PATH (the file's content,"
          + " surrounding whitespace removed). Never the password itself: process lists and Beam's"
          + " debug log show arguments. Leave it out for a server that asks for none.")
  String getReferenceDbPassword();

  void setReferenceDbPassword(String value);
}
