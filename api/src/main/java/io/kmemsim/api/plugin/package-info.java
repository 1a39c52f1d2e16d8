/** The provider contract shared by every plugin, and the context a provider is created in. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.plugin;

import org.apiguardian.api.API;
