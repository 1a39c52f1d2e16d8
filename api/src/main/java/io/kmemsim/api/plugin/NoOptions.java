package io.kmemsim.api.plugin;

import org.apiguardian.api.API;

/** The options record of a provider that has no options. */
@API(status = API.Status.STABLE, since = "0.1")
public record NoOptions() {
}
