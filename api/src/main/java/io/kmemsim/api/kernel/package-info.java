/** The kernel's value types and arithmetic (versions, gfp flags, migrate types, zones, orders, watermark formulas) as pure functions, shared by every module. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.kernel;

import org.apiguardian.api.API;
