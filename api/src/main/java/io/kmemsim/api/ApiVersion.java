package io.kmemsim.api;

import org.apiguardian.api.API;

/**
 * The version of this api. The plugin host sets it as PF4J's system version, so a plugin whose
 * {@code Plugin-Requires} asks for a newer api is refused before any of its classes load.
 *
 * <p>The minor version grows when the api gains types or {@code default} methods; the major version
 * grows only when an existing contract breaks.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ApiVersion {

    /** The api version, in semantic-versioning form (e.g. {@code 0.1.0}). */
    public static final String CURRENT = "0.2.0";

    private ApiVersion() {
    }
}
