/**
 * What a model is and what it can compute, with no tensors in sight: {@link org.unmask.core.model.ModelInfo},
 * the {@link org.unmask.core.model.TextTokenizer} view, and the primitive capabilities backends implement.
 */
package org.unmask.core.model;
