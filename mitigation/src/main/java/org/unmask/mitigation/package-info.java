/**
 * Mitigations and their measurement: counterfactual data augmentation ({@code cda}), post-processing wrappers
 * ({@code calibration}), the cost of a mitigation ({@code cost}) and before/after comparison ({@code compare}).
 */
package org.unmask.mitigation;
