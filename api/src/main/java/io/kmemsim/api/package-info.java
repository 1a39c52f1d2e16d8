/** The stable contracts of kmemsim: the version of this api that plugins are checked against. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api;

import org.apiguardian.api.API;
