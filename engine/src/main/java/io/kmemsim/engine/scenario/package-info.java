/**
 * Scenarios: YAML or JSON files (plus {@code --set} overrides) read with locations, validated with every
 * problem reported at once, and bound to a typed {@link io.kmemsim.engine.scenario.Scenario}.
 */
package io.kmemsim.engine.scenario;
