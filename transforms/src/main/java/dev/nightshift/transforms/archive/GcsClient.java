package dev.nightshift.transforms.archive;

import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.net.URI;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The google-cloud-storage client, configured by the same flags as Beam's {@code gs://} file
 * system, so that one set of flags points both at real GCS or at a local endpoint:
 *
 * <ul>
 *   <li>{@code --gcsEndpoint=http://127.0.0.1:PORT/storage/v1/}: the JSON API's URL (Beam's
 *       hidden GcsOptions flag); the client takes its scheme, host and port. Unset: real GCS.
 *   <li>{@code --project}: the project (Beam's GcpOptions; else gcloud's default project).
 *   <li>{@code --credentialFactoryClass}: Beam's credential factory. The default uses Application
 *       Default Credentials ({@code GOOGLE_APPLICATION_CREDENTIALS} or {@code gcloud auth
 *       application-default login}); {@code NoopCredentialFactory} sends no credentials, for a
 *       local endpoint.
 * </ul>
 */
public final class GcsClient {
  /** The project used with a local endpoint when none is given (the JSON API ignores it). */
  public static final String LOCAL_PROJECT = "nightshift-local";

  private GcsClient() {}

  public static Storage storage(PipelineOptions options) {
    GcsOptions gcs = options.as(GcsOptions.class);
    StorageOptions.Builder builder = StorageOptions.http();
    String endpoint = gcs.getGcsEndpoint();
    boolean local = endpoint != null && !endpoint.isBlank();
    if (local) {
      URI uri = URI.create(endpoint);
      if (uri.getScheme() == null || uri.getAuthority() == null) {
        throw new IllegalArgumentException(
            "--gcsEndpoint must be a URL such as http://127.0.0.1:4443/storage/v1/, not " + endpoint);
      }
      builder.setHost(uri.getScheme() + "://" + uri.getAuthority());
    }
    String project = gcs.getProject();
    if (project != null && !project.isBlank()) {
      builder.setProjectId(project);
    } else if (local) {
      // Without a project the client would look for one (and may ask a metadata server).
      builder.setProjectId(LOCAL_PROJECT);
    }
    builder.setCredentials(credentials(gcs));
    return builder.build().getService();
  }

  private static Credentials credentials(GcsOptions gcs) {
    if (NoopCredentialFactory.class.equals(gcs.getCredentialFactoryClass())) {
      return NoCredentials.getInstance();
    }
    Credentials credentials = gcs.getGcpCredential();
    if (credentials == null) {
      throw new IllegalArgumentException(
          "no Google credentials found: set GOOGLE_APPLICATION_CREDENTIALS to a service account key, run"
              + " 'gcloud auth application-default login', or, for a local endpoint, pass"
              + " --credentialFactoryClass=" + NoopCredentialFactory.class.getName());
    }
    return credentials;
  }
}
